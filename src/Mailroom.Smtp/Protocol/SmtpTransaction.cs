namespace Mailroom.Smtp.Protocol;

/// <summary>The mail transaction in progress (RFC 5321 §3.3), from MAIL to the end of DATA.</summary>
internal sealed class SmtpTransaction
{
    public string? MailFrom { get; set; }

    public List<string> Recipients { get; } = [];

    public long? DeclaredSize { get; set; }

    public bool EightBitMime { get; set; }

    public bool SmtpUtf8 { get; set; }

    public bool HasSender => MailFrom is not null;

    public void Reset()
    {
        MailFrom = null;
        Recipients.Clear();
        DeclaredSize = null;
        EightBitMime = false;
        SmtpUtf8 = false;
    }

    public SmtpEnvelope ToEnvelope() => new()
    {
        MailFrom = MailFrom ?? string.Empty,
        Recipients = Recipients.ToArray(),
        DeclaredSize = DeclaredSize,
        EightBitMime = EightBitMime,
        SmtpUtf8 = SmtpUtf8,
    };
}
