namespace Mailroom.Outbound;

/// <summary>One email of the outbox as the API and the task's Email tab show it.</summary>
public sealed record OutboundEmailView(
    Guid Id,
    Guid TaskId,
    Guid AccountId,
    Guid AuthorUserId,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    string Subject,
    string BodyHtml,
    string BodyText,
    OutboundStatus Status,
    DateTimeOffset? SendAt,
    DateTimeOffset? SentAt,
    string? FailureCode,
    string? FailureReason,
    IReadOnlyList<OutboundAttachmentView> Attachments,
    DateTimeOffset CreatedAt);

public sealed record OutboundAttachmentView(Guid Id, string FileName, string ContentType, long Size);
