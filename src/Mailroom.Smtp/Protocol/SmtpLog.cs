using System.Net;
using Microsoft.Extensions.Logging;

namespace Mailroom.Smtp.Protocol;

/// <summary>
/// Source-generated log messages of the listener. Event ids are stable: alerts and dashboards
/// key on them. Message bodies and addresses beyond counts are never logged.
/// </summary>
internal static partial class SmtpLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "SMTP session {ConnectionId} opened from {RemoteEndPoint}")]
    public static partial void SessionOpened(ILogger logger, string connectionId, EndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "SMTP session {ConnectionId} from {RemoteEndPoint} closed after {Messages} message(s)")]
    public static partial void SessionClosed(ILogger logger, string connectionId, EndPoint? remoteEndPoint, int messages);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "SMTP session {ConnectionId} delivered a message of {Size} bytes to {Accepted}/{Recipients} recipient(s)")]
    public static partial void MessageDelivered(ILogger logger, string connectionId, long size, int accepted, int recipients);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "SMTP session {ConnectionId} refused a message of {Size} bytes: {Code} {EnhancedCode}")]
    public static partial void MessageRefused(ILogger logger, string connectionId, long size, int code, string enhancedCode);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "SMTP session {ConnectionId}: the message sink failed; the client was told to retry")]
    public static partial void SinkFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "SMTP connection from {RemoteEndPoint} refused: {Limit} concurrent sessions reached")]
    public static partial void TooManySessions(ILogger logger, EndPoint? remoteEndPoint, int limit);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "SMTP session {ConnectionId} idle for {IdleTimeout}; closed")]
    public static partial void IdleTimeout(ILogger logger, string connectionId, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "SMTP session {ConnectionId} closed after {Errors} protocol errors")]
    public static partial void TooManyErrors(ILogger logger, string connectionId, int errors);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "SMTP session {ConnectionId}: TLS handshake failed")]
    public static partial void TlsHandshakeFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "SMTP session {ConnectionId} switched to {Protocol}")]
    public static partial void TlsStarted(ILogger logger, string connectionId, System.Security.Authentication.SslProtocols protocol);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "SMTP session {ConnectionId}: client went away during DATA after {Size} bytes; nothing delivered")]
    public static partial void DisconnectedDuringData(ILogger logger, string connectionId, long size);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "SMTP session {ConnectionId}: connection lost")]
    public static partial void ConnectionLost(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "SMTP session {ConnectionId} failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "SMTP session {ConnectionId} closed: the server is shutting down")]
    public static partial void ShuttingDown(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "SMTP connection from {RemoteEndPoint} refused: per-client limit {Limit}")]
    public static partial void ClientLimited(ILogger logger, EndPoint? remoteEndPoint, string limit);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "SMTP session {ConnectionId} closed: it lasted longer than {SessionTimeout}")]
    public static partial void SessionTimedOut(ILogger logger, string connectionId, TimeSpan sessionTimeout);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "SMTP session {ConnectionId} closed: DATA slower than {MinDataRate} bytes/s ({Size} bytes received); nothing delivered")]
    public static partial void DataTooSlow(ILogger logger, string connectionId, int minDataRate, long size);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "SMTP session {ConnectionId}: {Command} refused, client over its per-client rate")]
    public static partial void ClientRateLimited(ILogger logger, string connectionId, string command);

    [LoggerMessage(EventId = 19, Level = LogLevel.Warning, Message = "SMTP session {ConnectionId}: could not spool the message body; the client was told to retry")]
    public static partial void SpoolFailed(ILogger logger, Exception exception, string connectionId);
}
