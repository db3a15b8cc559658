using Mailroom.Storage;

namespace Mailroom.Tasks;

/// <summary>
/// A comment on a task, or a reply under one (one level of threading: a reply's parent is
/// always a top-level comment). Written in the app, or made from an email to the task's address.
/// </summary>
public sealed class Comment
{
    public Guid Id { get; set; } = Ids.New();
    public Guid TaskId { get; set; }
    public Guid? ParentCommentId { get; set; }

    /// <summary>What the writer wrote: for an email, the reply text only.</summary>
    public string Body { get; set; } = "";

    /// <summary>Quoted history and signature stripped from an email, shown folded under it.</summary>
    public string Quoted { get; set; } = "";

    public Guid? AuthorUserId { get; set; }
    public bool FromEmail { get; set; }
    public string? AuthorEmail { get; set; }
    public string? AuthorName { get; set; }

    /// <summary>Set when it came from an email whose From was not proven (DKIM/SPF/DMARC, or the operator's trust): the address is shown marked "unverified".</summary>
    public bool SenderUnverified { get; set; }
    public string? Notes { get; set; }

    /// <summary>The stored message and its Message-ID: unique per task, so one email is one comment,
    /// and what later replies' In-Reply-To/References are matched against (B14).</summary>
    public Guid? InboundMessageId { get; set; }
    public string? EmailMessageId { get; set; }

    /// <summary>The outbox row when this comment shows an email sent from the task.</summary>
    public Guid? OutboundEmailId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
