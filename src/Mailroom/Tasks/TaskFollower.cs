namespace Mailroom.Tasks;

/// <summary>A member who follows a task and is told when an email adds a comment to it.</summary>
public sealed class TaskFollower
{
    public Guid TaskId { get; set; }
    public Guid UserId { get; set; }
}
