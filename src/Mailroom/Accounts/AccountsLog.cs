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

    [LoggerMessage(EventId = 3605, Level = LogLevel.Information, Message = "OAuth tokens of mail account {AccountId} refreshed; the access token expires {ExpiresAt:O}")]
    public static partial void TokenRefreshed(ILogger logger, Guid accountId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 3606, Level = LogLevel.Warning, Message = "The provider refused the refresh token of mail account {AccountId} ({Error}): it needs re-authentication")]
    public static partial void RefreshRefused(ILogger logger, Guid accountId, string error);

    [LoggerMessage(EventId = 3607, Level = LogLevel.Information, Message = "{Count} admins told that mail account {AccountId} needs re-authentication")]
    public static partial void AdminsTold(ILogger logger, Guid accountId, int count);

    [LoggerMessage(EventId = 3608, Level = LogLevel.Information, Message = "{Provider} refused the OAuth link for {UserId}: {Error} ({Code})")]
    public static partial void OAuthRefused(ILogger logger, OAuthProvider provider, Guid userId, string error, string code);

    [LoggerMessage(EventId = 3609, Level = LogLevel.Warning, Message = "An OAuth callback for {UserId} carried an unknown, expired, used or another member's state")]
    public static partial void OAuthStateRefused(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 3610, Level = LogLevel.Information, Message = "Mail account {AccountId} ({Email}) linked through {Provider} OAuth by {UserId}")]
    public static partial void OAuthLinked(ILogger logger, Guid accountId, string email, OAuthProvider provider, Guid userId);

    [LoggerMessage(EventId = 3611, Level = LogLevel.Information, Message = "Mail account {AccountId} re-authenticated by {UserId}")]
    public static partial void Reauthenticated(ILogger logger, Guid accountId, Guid userId);
}
