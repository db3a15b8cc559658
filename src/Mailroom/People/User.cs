using Mailroom.Storage;
using Microsoft.AspNetCore.Identity;

namespace Mailroom.People;

/// <summary>A member of the workspace; ASP.NET Core Identity keeps the credentials.</summary>
public sealed class User : IdentityUser<Guid>
{
    public User() => Id = Ids.New();

    public required string DisplayName { get; set; }
    public WorkspaceRole Role { get; set; } = WorkspaceRole.Member;
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// The IANA zone every time is shown in (and the composer's "send later" reads). Null until
    /// the member or their browser chose one: times show in UTC, and the next sign-in takes the
    /// browser's zone.
    /// </summary>
    public string? TimeZone { get; set; }

    public TaskNotifications TaskNotifications { get; set; } = TaskNotifications.All;

    public bool IsAdmin => Role is WorkspaceRole.Owner or WorkspaceRole.Admin;

    /// <summary>
    /// Deactivation is a lockout that never ends: Identity then refuses the password, the token
    /// handler refuses the member's tokens, and nothing they wrote is touched. A fixed date
    /// rather than <see cref="DateTimeOffset.MaxValue"/> so both databases store it exactly.
    /// </summary>
    public static readonly DateTimeOffset DeactivatedUntil = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public bool IsDeactivated => LockoutEnd is { } end && end >= DeactivatedUntil;
}
