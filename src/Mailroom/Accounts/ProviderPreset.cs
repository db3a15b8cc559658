namespace Mailroom.Accounts;

/// <summary>The servers and limits of one provider, as its own help pages give them.</summary>
public sealed record ProviderPreset(
    MailProvider Provider,
    string Name,
    string ImapHost,
    int ImapPort,
    MailSecurity ImapSecurity,
    string SmtpHost,
    int SmtpPort,
    MailSecurity SmtpSecurity,
    long AttachmentLimitBytes);
