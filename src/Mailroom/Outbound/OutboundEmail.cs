using Mailroom.Storage;

namespace Mailroom.Outbound;

/// <summary>
/// One email of the durable outbox: written on a task, stored before anything is sent, then sent
/// by <see cref="OutboxWorker"/> through the author's connected mailbox. A scheduled one waits
/// for <see cref="SendAt"/>, seen by its author only; every attempt and the final state are kept.
/// </summary>
public sealed class OutboundEmail
{
    public Guid Id { get; set; } = Ids.New();
    public Guid TaskId { get; set; }

    /// <summary>The mailbox it leaves through. No foreign key: removing the account must not erase what was sent from it.</summary>
    public Guid AccountId { get; set; }
    public Guid AuthorUserId { get; set; }

    public required string FromAddress { get; set; }

    /// <summary>The account's send-as name at the time of writing; null sends the bare address.</summary>
    public string? FromName { get; set; }

    /// <summary>Mailboxes as written ("Max <max@example.com>" or the bare address), unencoded.</summary>
    public List<string> To { get; set; } = [];
    public List<string> Cc { get; set; } = [];
    public List<string> Bcc { get; set; } = [];

    public string Subject { get; set; } = "";

    /// <summary>The editor's HTML after <c>MailHtmlSanitizer</c>.</summary>
    public string BodyHtml { get; set; } = "";

    /// <summary>The plain-text alternative made from <see cref="BodyHtml"/>.</summary>
    public string BodyText { get; set; } = "";

    /// <summary>Generated when queued, without angle brackets: random local part, the account's domain.</summary>
    public required string MessageId { get; set; }

    /// <summary>The id of the email answered (the comment replied to), without angle brackets.</summary>
    public string? InReplyTo { get; set; }

    /// <summary>The thread's ids, oldest first, trimmed to the first and the latest (RFC 5322 3.6.4).</summary>
    public List<string> References { get; set; } = [];

    /// <summary>The comment answered, when the email replies to one.</summary>
    public Guid? ReplyToCommentId { get; set; }

    /// <summary>The top-level comment of the thread it belongs to (null: a new email on the task): what a reply holds.</summary>
    public Guid? ThreadCommentId { get; set; }

    /// <summary>The comment that shows it in the task's activity: made when queued for now, when sent for a scheduled one.</summary>
    public Guid? CommentId { get; set; }

    /// <summary>When the author wanted it to leave; null: at once.</summary>
    public DateTimeOffset? SendAt { get; set; }

    /// <summary>Concurrency token: a claim, a hold and a cancel each change it only from the state they read.</summary>
    public OutboundStatus Status { get; set; }

    /// <summary>Claims so far, counted when claimed (so a crash mid-send counts too).</summary>
    public int Attempts { get; set; }

    /// <summary>When the worker may next take it: the send time, then the back-off after a transient failure.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The claim: instance id and a per-claim nonce (concurrency token: only the current claimer records the outcome).</summary>
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }

    public string? FailureCode { get; set; }
    public string? FailureReason { get; set; }

    /// <summary>The id the provider gave the message instead of ours (a 250 reply, its Sent copy), without angle brackets.</summary>
    public string? ProviderMessageId { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>When the Sent copy was found or appended (or given up on); null while that is still to do.</summary>
    public DateTimeOffset? SentCopyAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<OutboundAttachment> Attachments { get; set; } = [];

    public bool IsScheduled => SendAt is not null;
}
