namespace Mailroom.Outbound.Pages;

/// <summary>
/// What the composer's From menu says of the workspace's email accounts: how many more can be
/// linked (the plan's free ones and bought slots), and whether this member may buy a slot.
/// </summary>
public sealed record AccountRoom(int Free, bool MayBuySlots);
