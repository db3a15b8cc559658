namespace Mailroom.Accounts;

/// <summary>
/// The known providers' servers and attachment limits, in one place. Hosts here are fixed: a
/// member picking a preset cannot point the server anywhere else (only Custom takes hosts).
/// </summary>
public static class ProviderCatalog
{
    private const long MB = 1024 * 1024;

    public static IReadOnlyList<ProviderPreset> Presets { get; } =
    [
        new(MailProvider.Gmail, "Gmail", "imap.gmail.com", 993, MailSecurity.SslOnConnect, "smtp.gmail.com", 465, MailSecurity.SslOnConnect, 25 * MB, SavesSentCopy: true,
            DisplayNameNote: "Gmail may replace this name with the one set for the address in Gmail's Settings → Accounts → \"Send mail as\"."),
        // Outlook.com's limit is 20 MB; Microsoft 365 allows up to 150 MB only when the tenant
        // raised it, which Mailroom cannot see, so the lower one holds.
        new(MailProvider.Outlook, "Outlook / Microsoft 365", "outlook.office365.com", 993, MailSecurity.SslOnConnect, "smtp.office365.com", 587, MailSecurity.StartTls, 20 * MB, SavesSentCopy: true,
            ForcesDisplayName: true, DisplayNameNote: "Outlook and Microsoft 365 replace this name with the mailbox's own display name."),
        new(MailProvider.Yahoo, "Yahoo", "imap.mail.yahoo.com", 993, MailSecurity.SslOnConnect, "smtp.mail.yahoo.com", 465, MailSecurity.SslOnConnect, 25 * MB, SavesSentCopy: true),
        new(MailProvider.ICloud, "iCloud", "imap.mail.me.com", 993, MailSecurity.SslOnConnect, "smtp.mail.me.com", 587, MailSecurity.StartTls, 20 * MB, SavesSentCopy: true),
        new(MailProvider.Fastmail, "Fastmail", "imap.fastmail.com", 993, MailSecurity.SslOnConnect, "smtp.fastmail.com", 465, MailSecurity.SslOnConnect, 50 * MB),
    ];

    /// <summary>The preset of a provider; null for <see cref="MailProvider.Custom"/>, whose servers the member gives.</summary>
    public static ProviderPreset? Find(MailProvider provider) => Presets.FirstOrDefault(p => p.Provider == provider);
}
