namespace Mailroom.Accounts;

/// <summary>
/// The servers and limits of one provider, as its own help pages give them. <see cref="SavesSentCopy"/>:
/// the provider files mail submitted over SMTP in Sent itself, so Mailroom must not append a second copy.
/// <paramref name="ForcesDisplayName"/>: the provider puts its own display name in From whatever
/// Mailroom sends (Outlook / Microsoft 365 uses the mailbox's name); <paramref name="DisplayNameNote"/>
/// is what the Send-as field tells the member about that provider (Gmail replaces it too unless
/// the address is set up under "Send mail as").
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
    bool SavesSentCopy = false,
    bool ForcesDisplayName = false,
    string? DisplayNameNote = null);
