namespace Mailroom.Accounts;

/// <summary>
/// The servers and limits of one provider, as its own help pages give them. <see cref="SavesSentCopy"/>:
/// the provider files mail submitted over SMTP in Sent itself, so Mailroom must not append a second copy.
/// </summary>
public sealed record ProviderPreset(
    MailProvider Provider,
    string Name,
    string ImapHost,
    int ImapPort,
    MailSecurity ImapSecurity,
    string SmtpHost,
    int SmtpPort,
    MailSecurity SmtpSecurity,
    long AttachmentLimitBytes,
    bool SavesSentCopy = false);
