namespace Mailroom.Permissions;

internal static partial class PermissionsLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Account {AccountId}: member {UserId} may now send from it (granted by {ActorId})")]
    public static partial void Granted(ILogger logger, Guid accountId, Guid userId, Guid actorId);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Account {AccountId}: member {UserId} may no longer send from it (revoked by {ActorId})")]
    public static partial void Revoked(ILogger logger, Guid accountId, Guid userId, Guid actorId);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "Email role permissions changed by {ActorId}: admins send {AdminSend}, add {AdminAdd}; members send {MemberSend}, add {MemberAdd}")]
    public static partial void EmailRolesChanged(ILogger logger, Guid actorId, bool adminSend, bool adminAdd, bool memberSend, bool memberAdd);
}
