using Mailroom.Posts;

namespace Mailroom.Tasks;

/// <summary>A comment with its replies (one level). <see cref="Quoted"/> is what the UI folds under "show quoted text".</summary>
public sealed record CommentView(
    Guid Id, Guid TaskId, Guid? ParentCommentId, string Body, string Quoted, string Author, Guid? AuthorUserId,
    bool FromEmail, string? AuthorEmail, string? AuthorName, string? Notes, DateTimeOffset CreatedAt,
    IReadOnlyList<AttachmentView> Attachments, IReadOnlyList<CommentView> Replies, bool SenderUnverified = false);
