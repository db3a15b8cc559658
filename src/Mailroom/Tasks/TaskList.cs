using Mailroom.Storage;

namespace Mailroom.Tasks;

/// <summary>A list of tasks in a space, with its own status set and its own address (B20).</summary>
public sealed class TaskList
{
    public static readonly IReadOnlyList<string> DefaultStatuses = ["To do", "In progress", "Done"];

    public Guid Id { get; set; } = Ids.New();
    public Guid SpaceId { get; set; }
    public required string Name { get; set; }

    /// <summary>The statuses a task of this list can have, in board order.</summary>
    public List<string> Statuses { get; set; } = [.. DefaultStatuses];

    /// <summary>The one status that means done; a task in it is closed.</summary>
    public string DoneStatus { get; set; } = "Done";

    /// <summary>Secret local part: each email sent to it creates a task.</summary>
    public required string LocalPart { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Where a new or reopened task starts: the first status that is not the done one.</summary>
    public string OpenStatus => Statuses.FirstOrDefault(s => s != DoneStatus) ?? DoneStatus;
}
