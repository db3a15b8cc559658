using Mailroom.Storage;

namespace Mailroom.Notifications;

/// <summary>
/// An in-app notification (the bell): that an email added a comment to a task one follows
/// (<see cref="TaskId"/>), or that a linked mailbox needs re-authentication (<see cref="AccountId"/>).
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; } = Ids.New();
    public Guid UserId { get; set; }
    public Guid? TaskId { get; set; }
    public Guid? AccountId { get; set; }
    public Guid? CommentId { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? ReadAt { get; set; }
}
