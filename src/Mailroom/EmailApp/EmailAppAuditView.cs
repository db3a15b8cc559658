namespace Mailroom.EmailApp;

public sealed record EmailAppAuditView(Guid Id, Guid UserId, string UserName, DateTimeOffset At, string Change);
