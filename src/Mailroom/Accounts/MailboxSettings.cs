namespace Mailroom.Accounts;

/// <summary>What a connection needs: the servers and the credentials, the password in clear for the length of a test only.</summary>
public sealed record MailboxSettings(
    string ImapHost,
    int ImapPort,
    MailSecurity ImapSecurity,
    string SmtpHost,
    int SmtpPort,
    MailSecurity SmtpSecurity,
    string Username,
    string Password)
{
    /// <summary>Never the password: records print every property, and this one may reach a log or an exception.</summary>
    public override string ToString() => $"{Username} imap={ImapHost}:{ImapPort} smtp={SmtpHost}:{SmtpPort}";
}
