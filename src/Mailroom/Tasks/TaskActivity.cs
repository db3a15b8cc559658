using Mailroom.Storage;

namespace Mailroom.Tasks;

/// <summary>One line of a task's activity stream: what happened, who did it, when.</summary>
public sealed class TaskActivity
{
    public Guid Id { get; set; } = Ids.New();
    public Guid TaskId { get; set; }
    public ActivityKind Kind { get; set; }

    /// <summary>The member who did it, or the email sender when it came by email.</summary>
    public Guid? ActorUserId { get; set; }
    public string? ActorEmail { get; set; }

    /// <summary>A sentence for the stream, e.g. "changed the status from To do to Done".</summary>
    public required string Text { get; set; }

    /// <summary>The comment this entry shows, for comments, replies and emails.</summary>
    public Guid? CommentId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
