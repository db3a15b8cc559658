using Mailroom.Storage;

namespace Mailroom.EmailApp;

/// <summary>Who changed the Email app's settings, when, and what changed.</summary>
public sealed class EmailAppAuditEntry
{
    public Guid Id { get; set; } = Ids.New();
    public Guid WorkspaceId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Each change as "field: before → after", separated by "; ".</summary>
    public required string Change { get; set; }
}
