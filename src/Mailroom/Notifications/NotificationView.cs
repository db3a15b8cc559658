namespace Mailroom.Notifications;

public sealed record NotificationView(Guid Id, Guid TaskId, Guid? CommentId, string Text, DateTimeOffset CreatedAt, bool Read);
