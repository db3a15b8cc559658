using Mailroom.People;

namespace Mailroom.Groups;

/// <summary>One member of a group as its member list shows them.</summary>
public sealed record GroupMemberView(Guid UserId, string DisplayName, string Email, WorkspaceRole Role, bool IsManager, bool Active);
