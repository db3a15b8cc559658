namespace Mailroom.Accounts;

/// <summary>The accounts' log lines. None carries a password: only the username, hosts, the step and the reason.</summary>
internal static partial class AccountsLog
{
    [LoggerMessage(EventId = 3601, Level = LogLevel.Information, Message = "Connection test for {Username} passed (IMAP {ImapHost}, SMTP {SmtpHost})")]
    public static partial void ConnectionPassed(ILogger logger, string username, string imapHost, string smtpHost);

    [LoggerMessage(EventId = 3602, Level = LogLevel.Information, Message = "Connection test for {Username} failed at '{Step}': {Failure} ({Detail})")]
    public static partial void ConnectionFailed(ILogger logger, string username, string step, ConnectionFailure failure, string? detail);

    [LoggerMessage(EventId = 3603, Level = LogLevel.Information, Message = "Mail account {AccountId} ({Email}) linked by {UserId}")]
    public static partial void Linked(ILogger logger, Guid accountId, string email, Guid userId);

    [LoggerMessage(EventId = 3604, Level = LogLevel.Information, Message = "Mail account {AccountId} removed by {UserId}")]
    public static partial void Removed(ILogger logger, Guid accountId, Guid userId);
}
