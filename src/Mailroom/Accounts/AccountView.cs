namespace Mailroom.Accounts;

/// <summary>An account as the API shows it: everything but the secret, and the remedy for its last error code.</summary>
public sealed record AccountView(
    Guid Id,
    Guid UserId,
    string LinkedBy,
    string Email,
    string? SendAsName,
    MailProvider Provider,
    string ImapHost,
    int ImapPort,
    MailSecurity ImapSecurity,
    string SmtpHost,
    int SmtpPort,
    MailSecurity SmtpSecurity,
    string Username,
    AccountHealth Health,
    string? LastErrorCode,
    long? AttachmentLimitBytes,
    DateTimeOffset CreatedAt,
    AccountAuthKind AuthKind = AccountAuthKind.Password,
    SendVia SendVia = SendVia.Auto,
    string? LastErrorRemedy = null,
    bool ServerSavesSentCopy = false);
