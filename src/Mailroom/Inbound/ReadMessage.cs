namespace Mailroom.Inbound;

/// <summary>
/// What Mailroom makes of one raw email, before it is routed anywhere: the result of
/// <see cref="MessageReader"/>. <c>mailroom inspect</c> prints it as JSON.
/// </summary>
public sealed record ReadMessage
{
    /// <summary>
    /// <c>message</c>, <c>auto-reply</c>, <c>bounce</c> or <c>malformed</c>, decided in that order of checks:
    /// <c>bounce</c> for delivery reports and read receipts (multipart/report, message/delivery-status,
    /// X-Failed-Recipients, MAILER-DAEMON/postmaster failure notices); <c>auto-reply</c> for
    /// Auto-Submitted other than <c>no</c>, X-Autoreply/X-Autorespond, Precedence: auto_reply or an
    /// out-of-office subject, unless the sender is allow-listed; <c>malformed</c> for data that is not
    /// a mail or names no sender at all; everything else, newsletters and list mail included, <c>message</c>.
    /// </summary>
    public required string Kind { get; init; }

    /// <summary>Why this kind, in a sentence an operator understands.</summary>
    public required string Reason { get; init; }

    public string? FromAddress { get; init; }
    public string? FromName { get; init; }
    public string Subject { get; init; } = "";

    /// <summary>The plain text that would be posted.</summary>
    public string Text { get; init; } = "";

    /// <summary>The HTML body after sanitising, when the message had one.</summary>
    public string? SanitizedHtml { get; init; }

    private readonly Lazy<ExtractedReply>? _reply;
    private readonly string? _visible;
    private readonly string? _quoted;

    /// <summary>
    /// How to split <see cref="Text"/> into <see cref="Visible"/> and <see cref="Quoted"/>; run on
    /// first use only, since a group post shows the whole text and the split costs more than the
    /// rest of reading a message.
    /// </summary>
    public Func<ExtractedReply>? Reply
    {
        init => _reply = value is null ? null : new Lazy<ExtractedReply>(value);
    }

    /// <summary>
    /// The sender's new content: <see cref="Text"/> without quoted history, attribution lines and
    /// signature (see <see cref="ReplyExtractor"/>). Equal to <see cref="Text"/> when nothing was quoted.
    /// </summary>
    public string Visible { get => _visible ?? _reply?.Value.Visible ?? Text; init => _visible = value; }

    /// <summary>What was folded away from <see cref="Visible"/> (quoted history, signature), for "show quoted text".</summary>
    public string Quoted { get => _quoted ?? _reply?.Value.Quoted ?? ""; init => _quoted = value; }

    public string? MessageId { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];
    public DateTimeOffset? Date { get; init; }
    public IReadOnlyList<ReadAttachment> Attachments { get; init; } = [];

    /// <summary>
    /// The parsed message, for sender verification (DKIM reads its headers and body as received).
    /// Parsed in MimeKit's persistent mode: its parts read from the raw stream, so it is only valid
    /// while that stream is open. Null when the data could not be parsed.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public MimeKit.MimeMessage? Mime { get; init; }

    /// <summary>
    /// What reading left out or simplified because a limit was reached (too many parts, HTML too
    /// large to show as HTML, text cut), one sentence each, for the post's notes.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
