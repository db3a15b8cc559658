namespace Mailroom.Outbound;

/// <summary>The outbox's log lines: ids, codes and hosts, never a body, a password or a token.</summary>
internal static partial class OutboundLog
{
    [LoggerMessage(EventId = 3701, Level = LogLevel.Information, Message = "Outbox email {EmailId} queued by {UserId} on task {TaskId} (send at {SendAt})")]
    public static partial void Queued(ILogger logger, Guid emailId, Guid userId, Guid taskId, DateTimeOffset? sendAt);

    [LoggerMessage(EventId = 3702, Level = LogLevel.Information, Message = "Outbox email {EmailId} sent through account {AccountId} (provider id {ProviderMessageId})")]
    public static partial void Sent(ILogger logger, Guid emailId, Guid accountId, string? providerMessageId);

    [LoggerMessage(EventId = 3703, Level = LogLevel.Warning, Message = "Outbox email {EmailId} failed on attempt {Attempt}: {Code} {Reason}; retrying at {NextAttemptAt}")]
    public static partial void Retrying(ILogger logger, Guid emailId, int attempt, string code, string reason, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 3704, Level = LogLevel.Warning, Message = "Outbox email {EmailId} failed for good: {Code} {Reason}")]
    public static partial void Failed(ILogger logger, Guid emailId, string code, string reason);

    [LoggerMessage(EventId = 3705, Level = LogLevel.Error, Message = "Outbox round failed; retrying")]
    public static partial void RoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3706, Level = LogLevel.Information, Message = "Outbox email {EmailId} held: its thread got a reply before it left")]
    public static partial void Held(ILogger logger, Guid emailId);

    [LoggerMessage(EventId = 3707, Level = LogLevel.Warning, Message = "Sent copy of outbox email {EmailId} could not be checked: {Reason}")]
    public static partial void SentCopyFailed(ILogger logger, Guid emailId, string reason);

    [LoggerMessage(EventId = 3708, Level = LogLevel.Information, Message = "Sent copy of outbox email {EmailId}: {Outcome}")]
    public static partial void SentCopy(ILogger logger, Guid emailId, string outcome);

    [LoggerMessage(EventId = 3709, Level = LogLevel.Warning, Message = "Could not learn the SIZE of account {AccountId}'s submission server: {Reason}")]
    public static partial void SizeUnknown(ILogger logger, Guid accountId, string reason);

    [LoggerMessage(EventId = 3710, Level = LogLevel.Error, Message = "Outbox email {EmailId} could not be processed")]
    public static partial void DeliveryCrashed(ILogger logger, Exception exception, Guid emailId);

    [LoggerMessage(EventId = 3711, Level = LogLevel.Information, Message = "Outbox email {EmailId} held: the plan's email uses are all sent")]
    public static partial void HeldAtLimit(ILogger logger, Guid emailId);

    [LoggerMessage(EventId = 3712, Level = LogLevel.Warning, Message = "Account {AccountId}: its SMTP login was refused ({Failures} in a row; needs re-authentication: {NeedsReauthentication})")]
    public static partial void LoginRefused(ILogger logger, Guid accountId, int failures, bool needsReauthentication);
}
