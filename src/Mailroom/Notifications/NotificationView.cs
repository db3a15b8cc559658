namespace Mailroom.Notifications;

/// <summary>A notification as its member sees it: of a task (<see cref="TaskId"/>) or of a linked mailbox (<see cref="AccountId"/>).</summary>
public sealed record NotificationView(Guid Id, Guid? TaskId, Guid? CommentId, string Text, DateTimeOffset CreatedAt, bool Read, Guid? AccountId = null);
