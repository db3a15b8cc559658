namespace Mailroom.Outbound;

/// <summary>
/// An email written on a task's Email tab (or posted to the API): who it goes to, what it says,
/// what is attached, and when it leaves (null: now). <see cref="BodyHtml"/> is the editor's HTML,
/// sanitised by the outbox before it is stored; the plain-text part is made from it.
/// </summary>
public sealed record ComposeRequest(
    Guid AccountId,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    string Subject,
    string BodyHtml,
    IReadOnlyList<ComposeAttachment> Attachments,
    DateTimeOffset? SendAt = null,
    Guid? ReplyToCommentId = null);

/// <summary>A file to attach; <see cref="Open"/> is read once, streamed into the blob store.</summary>
public sealed record ComposeAttachment(string FileName, string ContentType, long Size, Func<Stream> Open);
