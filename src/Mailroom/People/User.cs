using Microsoft.AspNetCore.Identity;

namespace Mailroom.People;

/// <summary>A member of the workspace; ASP.NET Core Identity keeps the credentials.</summary>
public sealed class User : IdentityUser<Guid>
{
    public User() => Id = Guid.CreateVersion7();

    public required string DisplayName { get; set; }
    public WorkspaceRole Role { get; set; } = WorkspaceRole.Member;
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public bool IsAdmin => Role is WorkspaceRole.Owner or WorkspaceRole.Admin;
}
