namespace Mailroom.Tasks;

public sealed class TaskAssignee
{
    public Guid TaskId { get; set; }
    public Guid UserId { get; set; }
}
