using Mailroom.Storage;

namespace Mailroom.Inbound;

/// <summary>
/// One message accepted by the listener. The row is committed (and the raw bytes fsynced)
/// before the client gets 250; the processor then turns it into posts exactly once.
/// </summary>
public sealed class InboundMessage
{
    public Guid Id { get; set; } = Ids.New();
    public DateTimeOffset ReceivedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// SHA-256 of the raw bytes in the blob store; empty while a small message's bytes are still in
    /// <see cref="Raw"/> (the processor sets it when it moves them into the blob store).
    /// </summary>
    public required string BlobHash { get; set; }
    public long Size { get; set; }

    /// <summary>
    /// The raw bytes of a small message, committed with the row itself so that accepting it costs
    /// no file of its own; the processor moves them into the blob store (under <see cref="BlobHash"/>)
    /// and clears this in the transaction that records the outcome.
    /// </summary>
    public byte[]? Raw { get; set; }

    public string MailFrom { get; set; } = "";

    /// <summary>Envelope recipients, lower-cased, separated by newlines.</summary>
    public required string Recipients { get; set; }
    public string? RemoteAddress { get; set; }
    public string? Helo { get; set; }

    public InboundStatus Status { get; set; } = InboundStatus.Pending;

    /// <summary><c>message</c>, <c>auto-reply</c>, <c>bounce</c> or <c>malformed</c>, once read.</summary>
    public string? Kind { get; set; }

    /// <summary>What became of it and why, for the inbound log.</summary>
    public string? Outcome { get; set; }

    public string? FromAddress { get; set; }
    public string? Subject { get; set; }
    public string? MessageIdHeader { get; set; }

    /// <summary>Whether the From header was proven (see <see cref="Verification.SenderVerdict"/>); null before it was read.</summary>
    public bool? FromAuthenticated { get; set; }

    /// <summary>The verifier's one-line summary, Authentication-Results style, for the inbound log.</summary>
    public string? Authentication { get; set; }

    /// <summary>
    /// Set when the message was fetched over IMAP from a connected mailbox (a reply to an email sent
    /// from a task) rather than received by the listener: the account, and where in its INBOX it was,
    /// which is unique, so a watcher that fetches it again stores nothing twice.
    /// </summary>
    public Guid? AccountId { get; set; }
    public long? ImapUidValidity { get; set; }
    public long? ImapUid { get; set; }

    public int Attempts { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
}
