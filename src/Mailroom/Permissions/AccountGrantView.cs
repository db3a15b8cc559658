namespace Mailroom.Permissions;

/// <summary>A member who may send from an account, as its linker sees the list.</summary>
public sealed record AccountGrantView(Guid AccountId, Guid UserId, string DisplayName, string? Email, Guid GrantedBy, DateTimeOffset CreatedAt);
