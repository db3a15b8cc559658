namespace Mailroom.People;

/// <summary>A member's own settings; <see cref="TimeZone"/> is null until they or their browser chose one (times then show in UTC).</summary>
public sealed record ProfileView(Guid Id, string DisplayName, string Email, string? TimeZone, TaskNotifications TaskNotifications)
{
    public static ProfileView Of(User u) => new(u.Id, u.DisplayName, u.Email ?? "", u.TimeZone, u.TaskNotifications);
}
