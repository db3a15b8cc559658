namespace Mailroom.Groups;

/// <summary>What a workspace member who is not in a group may learn about it: its name and who can let them in.</summary>
public sealed record GroupOutsiderView(Guid Id, string Name, IReadOnlyList<string> Managers);
