namespace Mailroom.People;

/// <summary>A group or space a member belongs to, as the members list names it.</summary>
public sealed record PlaceRef(Guid Id, string Name);
