namespace Mailroom.Accounts.Watching;

/// <summary>The watchers' log lines: account ids, addresses, UIDs and reasons; never a password or token, never a message's content.</summary>
internal static partial class WatchLog
{
    [LoggerMessage(EventId = 3610, Level = LogLevel.Information, Message = "Watching the INBOX of account {AccountId} ({Email})")]
    public static partial void Watching(ILogger logger, Guid accountId, string email);

    [LoggerMessage(EventId = 3611, Level = LogLevel.Information, Message = "Stopped watching account {AccountId}: {Reason}")]
    public static partial void Stopped(ILogger logger, Guid accountId, string reason);

    [LoggerMessage(EventId = 3612, Level = LogLevel.Warning, Message = "Account {AccountId} ({Email}): cannot connect to {Host}:{Port} ({Failure} in a row); retrying in {Delay}")]
    public static partial void Unreachable(ILogger logger, Exception exception, Guid accountId, string email, string host, int port, int failure, TimeSpan delay);

    [LoggerMessage(EventId = 3613, Level = LogLevel.Warning, Message = "Account {AccountId} ({Email}): the login was refused, also with fresh credentials ({Failures} in a row)")]
    public static partial void Refused(ILogger logger, Guid accountId, string email, int failures);

    [LoggerMessage(EventId = 3614, Level = LogLevel.Warning, Message = "Account {AccountId} ({Email}) needs re-authentication after {Failures} refused logins in a row; no longer watched")]
    public static partial void NeedsReauthentication(ILogger logger, Guid accountId, string email, int failures);

    [LoggerMessage(EventId = 3615, Level = LogLevel.Warning, Message = "Account {AccountId}: UIDVALIDITY changed from {Old} to {New}; re-seeding from mail since {Since:u}")]
    public static partial void UidValidityChanged(ILogger logger, Guid accountId, long? old, long @new, DateTimeOffset since);

    [LoggerMessage(EventId = 3616, Level = LogLevel.Information, Message = "Account {AccountId}: imported reply UID {Uid} (Message-ID {MessageId})")]
    public static partial void Imported(ILogger logger, Guid accountId, long uid, string? messageId);

    [LoggerMessage(EventId = 3617, Level = LogLevel.Warning, Message = "Account {AccountId}: reply UID {Uid} is {Size} bytes, over the {Max} bytes accepted; not imported")]
    public static partial void TooLarge(ILogger logger, Guid accountId, long uid, long size, long max);

    [LoggerMessage(EventId = 3618, Level = LogLevel.Information, Message = "Account {AccountId}: the connection was lost ({Reason}); reconnecting")]
    public static partial void Dropped(ILogger logger, Exception exception, Guid accountId, string reason);

    [LoggerMessage(EventId = 3619, Level = LogLevel.Error, Message = "A round of the account watchers failed; trying again")]
    public static partial void RoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3620, Level = LogLevel.Information, Message = "Lost the watch lease of account {AccountId}: another server took it")]
    public static partial void LeaseLost(ILogger logger, Guid accountId);

    [LoggerMessage(EventId = 3621, Level = LogLevel.Debug, Message = "Account {AccountId}: looked at {Count} new message(s) up to UID {LastUid}, imported {Imported}")]
    public static partial void CaughtUp(ILogger logger, Guid accountId, int count, long lastUid, int imported);

    [LoggerMessage(EventId = 3622, Level = LogLevel.Error, Message = "Account {AccountId}: the watch failed unexpectedly; retrying in {Delay}")]
    public static partial void Failed(ILogger logger, Exception exception, Guid accountId, TimeSpan delay);
}
