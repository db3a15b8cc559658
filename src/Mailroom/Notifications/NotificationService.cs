using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Notifications;

/// <summary>Each member's own notifications: newest first, an unread count for the bell, marking read.</summary>
public sealed class NotificationService(MailroomDb db, TimeProvider clock)
{
    /// <summary>Tells each follower of the task but the author that an email added a comment, as each
    /// one's setting allows (all, only tasks assigned to them, none). Added to the context only:
    /// saved with the comment, so a comment notifies exactly once.</summary>
    public static Task NotifyFollowersAsync(MailroomDb db, Guid taskId, Guid commentId, Guid? authorUserId, string text, DateTimeOffset at, CancellationToken cancellationToken) =>
        NotifyAsync(db, taskId, commentId, authorUserId, [], text, at, cancellationToken);

    /// <summary>
    /// As <see cref="NotifyFollowersAsync"/>, and also tells <paramref name="alsoUserIds"/> (the member
    /// who sent the email a reply answers) whether or not they follow the task, by the same setting.
    /// Each member once, never the author.
    /// </summary>
    public static async Task NotifyAsync(MailroomDb db, Guid taskId, Guid commentId, Guid? authorUserId, IReadOnlyCollection<Guid> alsoUserIds, string text, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var also = alsoUserIds.ToList();
        var recipients = await db.Users
            .Where(u => db.TaskFollowers.Any(f => f.TaskId == taskId && f.UserId == u.Id) || also.Contains(u.Id))
            .Where(u => u.TaskNotifications == TaskNotifications.All
                || (u.TaskNotifications == TaskNotifications.Assigned && db.TaskAssignees.Any(a => a.TaskId == taskId && a.UserId == u.Id)))
            .Select(u => u.Id)
            .ToListAsync(cancellationToken);
        foreach (var userId in recipients.Distinct().Where(id => id != authorUserId))
        {
            db.Notifications.Add(new Notification { UserId = userId, TaskId = taskId, CommentId = commentId, Text = text.Length <= 1000 ? text : text[..1000], CreatedAt = at });
        }
    }

    public async Task<IReadOnlyList<NotificationView>> ListAsync(User actor, bool unreadOnly, int take, CancellationToken cancellationToken = default)
    {
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == actor.Id);
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }
        return await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Math.Clamp(take, 1, 200))
            .Select(n => new NotificationView(n.Id, n.TaskId, n.CommentId, n.Text, n.CreatedAt, n.ReadAt != null, n.AccountId))
            .ToListAsync(cancellationToken);
    }

    public Task<int> UnreadCountAsync(User actor, CancellationToken cancellationToken = default) =>
        db.Notifications.CountAsync(n => n.UserId == actor.Id && n.ReadAt == null, cancellationToken);

    /// <summary>
    /// Opening a notification: it, and the member's other unread notifications of the same task
    /// (the task page shows all of them), become read. Returns the local path to open: the task,
    /// or for a mailbox's notification the Email accounts page.
    /// </summary>
    public async Task<string> OpenAsync(User actor, Guid notificationId, CancellationToken cancellationToken = default)
    {
        var target = await db.Notifications.Where(n => n.Id == notificationId && n.UserId == actor.Id).Select(n => new { n.TaskId, n.AccountId }).FirstOrDefaultAsync(cancellationToken)
            ?? throw AppProblem.NotFound("The notification");
        var now = clock.GetUtcNow();
        var same = target.TaskId is { } taskId
            ? db.Notifications.Where(n => n.UserId == actor.Id && n.TaskId == taskId && n.ReadAt == null)
            : db.Notifications.Where(n => n.UserId == actor.Id && n.Id == notificationId && n.ReadAt == null);
        await same.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        return target.TaskId is { } task ? $"/tasks/{task}" : "/settings/email-accounts";
    }

    public async Task MarkReadAsync(User actor, Guid? notificationId, CancellationToken cancellationToken = default)
    {
        var query = db.Notifications.Where(n => n.UserId == actor.Id && n.ReadAt == null);
        if (notificationId is { } id)
        {
            if (!await db.Notifications.AnyAsync(n => n.Id == id && n.UserId == actor.Id, cancellationToken))
            {
                throw AppProblem.NotFound("The notification");
            }
            query = query.Where(n => n.Id == id);
        }
        var now = clock.GetUtcNow();
        await query.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
    }
}
