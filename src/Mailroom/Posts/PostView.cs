namespace Mailroom.Posts;

/// <summary>A post as the feed shows it. <see cref="FromEmail"/> is the mail-icon flag (A3).</summary>
public sealed record PostView(
    Guid Id, Guid GroupId, string Title, string Body, string? BodyHtml, bool FromEmail,
    string Author, string? AuthorEmail, string? AuthorName, string? Notes, DateTimeOffset CreatedAt,
    bool HasOriginal, IReadOnlyList<AttachmentView> Attachments, bool SenderUnverified = false);
