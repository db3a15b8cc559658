namespace Mailroom.Tasks;

/// <summary>A list as the API shows it; <see cref="Address"/> is null for guests, who never see addresses (B2).</summary>
public sealed record ListView(Guid Id, Guid SpaceId, string Name, IReadOnlyList<string> Statuses, string DoneStatus, string? Address, DateTimeOffset CreatedAt);
