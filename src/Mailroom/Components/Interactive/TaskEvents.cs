using Mailroom.Tasks;

namespace Mailroom.Components.Interactive;

/// <summary>
/// The interactive components of one task page share a circuit, hence this scoped service: the
/// editor says what it saved, the title in the page header shows the new name or closed state.
/// </summary>
public sealed class TaskEvents
{
    public event Action<TaskView>? Changed;

    public void Saved(TaskView task) => Changed?.Invoke(task);
}
