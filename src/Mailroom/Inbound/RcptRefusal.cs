using Mailroom.Storage;

namespace Mailroom.Inbound;

/// <summary>
/// A recipient the listener refused at RCPT: the mail never became a message row, so this is
/// the only trace of it. Repeats of the same refusal (address, sender, reason) close together
/// are one row with a count, so a client hammering one address makes one row, not millions.
/// </summary>
public sealed class RcptRefusal
{
    public Guid Id { get; set; } = Ids.New();

    /// <summary>The refused recipient, lower-cased.</summary>
    public required string Address { get; set; }

    /// <summary>The envelope sender (MAIL FROM) as given; empty for the null sender of a bounce.</summary>
    public string MailFrom { get; set; } = "";

    /// <summary>The client of the latest refusal counted in this row.</summary>
    public string? RemoteAddress { get; set; }

    public RefusalReason Reason { get; set; }

    /// <summary>The reply the client was given, e.g. 550 and 5.1.1, and its text.</summary>
    public int ReplyCode { get; set; }
    public string EnhancedCode { get; set; } = "";
    public string ReplyText { get; set; } = "";

    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>How many refusals this row stands for.</summary>
    public int Count { get; set; } = 1;
}
