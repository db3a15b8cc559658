namespace Mailroom.People;

/// <summary>
/// A member as the members list shows them. <see cref="Active"/> is false once an admin
/// deactivated the account; <see cref="Spaces"/> are the spaces a guest was let into
/// (members and admins see every space, so it is empty for them).
/// </summary>
public sealed record MemberView(
    Guid Id, string DisplayName, string Email, WorkspaceRole Role, bool Active, DateTimeOffset CreatedAt,
    IReadOnlyList<PlaceRef> Groups, IReadOnlyList<PlaceRef> Spaces);
