namespace Mailroom.Smtp;

/// <summary>The envelope of one mail transaction (RFC 5321 §2.3.1).</summary>
public sealed class SmtpEnvelope
{
    /// <summary>The reverse-path of MAIL FROM; empty for the null sender (&lt;&gt;).</summary>
    public required string MailFrom { get; init; }

    /// <summary>Accepted forward-paths, in RCPT order, as the client wrote them (without angle brackets).</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    public long? DeclaredSize { get; init; }
    public bool EightBitMime { get; init; }
    public bool SmtpUtf8 { get; init; }
}
