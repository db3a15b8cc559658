namespace Mailroom.Accounts;

/// <summary>
/// What a member types to link a mailbox. With a preset provider only the address, the password
/// and optionally the username and display name count; hosts are taken from the catalog. Custom
/// needs both servers, and may say that the server files sent mail in Sent itself
/// (<see cref="ServerSavesSentCopy"/>): then Mailroom appends no copy, and learns from the one the
/// server filed the Message-ID it may have given the message.
/// </summary>
public sealed record LinkAccountRequest(
    MailProvider Provider,
    string? Email,
    string? Password,
    string? Username = null,
    string? SendAsName = null,
    string? ImapHost = null,
    int? ImapPort = null,
    MailSecurity? ImapSecurity = null,
    string? SmtpHost = null,
    int? SmtpPort = null,
    MailSecurity? SmtpSecurity = null,
    bool? ServerSavesSentCopy = null)
{
    public override string ToString() => $"{Provider} {Email}";
}
