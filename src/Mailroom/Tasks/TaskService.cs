using Mailroom.Hosting;
using Mailroom.Integrations;
using Mailroom.People;
using Mailroom.Posts;
using Mailroom.Spaces;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Tasks;

/// <summary>
/// Tasks: create, edit, move, change status, close, assign, follow. Whoever sees the space may
/// read its tasks; everyone but guests may change them; every change goes to the activity stream.
/// </summary>
public sealed class TaskService(MailroomDb db, SpaceService spaces, ListService lists, AddressMinter minter, TimeProvider clock)
{
    /// <summary>Adds an activity entry to the context; the caller saves it with the change it records.</summary>
    public static TaskActivity Record(MailroomDb db, Guid taskId, ActivityKind kind, Guid? actorUserId, string text, string? actorEmail = null, Guid? commentId = null, DateTimeOffset? at = null)
    {
        // The stream is ordered by time: entries of one change (created, then attached…) get distinct,
        // increasing times, a millisecond apart so that both providers' precision keeps the order.
        var when = at ?? DateTimeOffset.UtcNow;
        var previous = db.TaskActivities.Local.Where(a => a.TaskId == taskId).Select(a => a.CreatedAt).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        if (when <= previous)
        {
            when = previous.AddMilliseconds(1);
        }
        var entry = new TaskActivity
        {
            TaskId = taskId, Kind = kind, ActorUserId = actorUserId, ActorEmail = actorEmail, CommentId = commentId,
            Text = text.Length <= 2000 ? text : text[..2000], CreatedAt = when,
        };
        db.TaskActivities.Add(entry);
        return entry;
    }

    public async Task<IReadOnlyList<TaskView>> ListAsync(User actor, Guid listId, bool includeClosed, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetVisibleAsync(actor, listId, cancellationToken);
        var query = db.Tasks.AsNoTracking().Include(t => t.Assignees).Include(t => t.Followers).Where(t => t.ListId == listId);
        if (!includeClosed)
        {
            query = query.Where(t => t.ClosedAt == null);
        }
        var tasks = await query.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Take(1000).ToListAsync(cancellationToken);
        return await DescribeAsync(actor, tasks, list.SpaceId, cancellationToken);
    }

    public async Task<TaskView> GetAsync(User actor, Guid taskId, CancellationToken cancellationToken = default)
    {
        var (task, list) = await FindAsync(actor, taskId, write: false, cancellationToken);
        return (await DescribeAsync(actor, [task], list.SpaceId, cancellationToken))[0];
    }

    /// <summary>The task and its list, if the actor sees its space (and, to write, is not a guest).</summary>
    public async Task<(WorkTask Task, TaskList List)> FindAsync(User actor, Guid taskId, bool write, CancellationToken cancellationToken = default)
    {
        var task = await db.Tasks.Include(t => t.Assignees).Include(t => t.Followers).FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken)
            ?? throw AppProblem.NotFound("The task");
        var list = await lists.GetVisibleAsync(actor, task.ListId, cancellationToken);
        if (write)
        {
            SpaceService.RequireNotGuest(actor);
        }
        return (task, list);
    }

    public async Task<TaskView> CreateAsync(User actor, Guid listId, string? name, string? description, string? status, DateOnly? dueDate, IReadOnlyList<Guid>? assigneeIds, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetWritableAsync(actor, listId, cancellationToken);
        var validName = ValidName(name);
        var task = new WorkTask
        {
            ListId = list.Id,
            Name = validName,
            Description = description ?? "",
            Status = status is null ? list.OpenStatus : ValidStatus(list, status),
            DueDate = dueDate,
            CreatedByUserId = actor.Id,
            LocalPart = await minter.NewLocalPartAsync(validName, cancellationToken),
            CreatedAt = clock.GetUtcNow(),
        };
        task.UpdatedAt = task.CreatedAt;
        task.ClosedAt = task.Status == list.DoneStatus ? task.CreatedAt : null;
        task.Followers.Add(new TaskFollower { UserId = actor.Id });
        db.Tasks.Add(task);
        Record(db, task.Id, ActivityKind.Created, actor.Id, "created this task", at: task.CreatedAt);
        if (assigneeIds is { Count: > 0 })
        {
            await AssignAsync(actor, task, list, assigneeIds, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return (await DescribeAsync(actor, [task], list.SpaceId, cancellationToken))[0];
    }

    /// <summary>Changes what is given; <paramref name="clearDueDate"/> removes the due date.</summary>
    public async Task<TaskView> UpdateAsync(User actor, Guid taskId, string? name, string? description, DateOnly? dueDate, bool clearDueDate, CancellationToken cancellationToken = default)
    {
        var (task, list) = await FindAsync(actor, taskId, write: true, cancellationToken);
        var changed = new List<string>();
        if (name is not null && ValidName(name) != task.Name)
        {
            changed.Add($"renamed the task from \"{task.Name}\" to \"{name.Trim()}\"");
            task.Name = name.Trim();
        }
        // Browsers send a textarea's lines ending in CRLF: saving an unchanged description is no edit.
        if (description is not null && description.ReplaceLineEndings("\n") != task.Description.ReplaceLineEndings("\n"))
        {
            changed.Add("edited the description");
            task.Description = description.ReplaceLineEndings("\n");
        }
        if (clearDueDate && task.DueDate is not null)
        {
            changed.Add("removed the due date");
            task.DueDate = null;
        }
        else if (dueDate is not null && dueDate != task.DueDate)
        {
            changed.Add($"set the due date to {dueDate:yyyy-MM-dd}");
            task.DueDate = dueDate;
        }
        foreach (var text in changed)
        {
            Record(db, task.Id, ActivityKind.Edited, actor.Id, text);
        }
        return await SaveAsync(actor, task, list, changed.Count > 0, cancellationToken);
    }

    /// <summary>Moving into the done status closes the task; out of it reopens it.</summary>
    public async Task<TaskView> SetStatusAsync(User actor, Guid taskId, string status, CancellationToken cancellationToken = default)
    {
        var (task, list) = await FindAsync(actor, taskId, write: true, cancellationToken);
        ChangeStatus(actor, task, list, ValidStatus(list, status));
        return await SaveAsync(actor, task, list, true, cancellationToken);
    }

    public async Task<TaskView> CloseAsync(User actor, Guid taskId, CancellationToken cancellationToken = default)
    {
        var (task, list) = await FindAsync(actor, taskId, write: true, cancellationToken);
        ChangeStatus(actor, task, list, list.DoneStatus);
        return await SaveAsync(actor, task, list, true, cancellationToken);
    }

    public async Task<TaskView> ReopenAsync(User actor, Guid taskId, CancellationToken cancellationToken = default)
    {
        var (task, list) = await FindAsync(actor, taskId, write: true, cancellationToken);
        if (task.ClosedAt is not null)
        {
            ChangeStatus(actor, task, list, list.OpenStatus);
        }
        return await SaveAsync(actor, task, list, true, cancellationToken);
    }

    /// <summary>To another list, in this space or another the actor may write in. A status the new list
    /// lacks becomes its first open status (or its done status, for a closed task).</summary>
    public async Task<TaskView> MoveAsync(User actor, Guid taskId, Guid toListId, CancellationToken cancellationToken = default)
    {
        var (task, from) = await FindAsync(actor, taskId, write: true, cancellationToken);
        var to = await lists.GetWritableAsync(actor, toListId, cancellationToken);
        if (to.Id == from.Id)
        {
            return await SaveAsync(actor, task, from, false, cancellationToken);
        }
        if (task.EmailMessageId is not null && await db.Tasks.AnyAsync(t => t.ListId == to.Id && t.EmailMessageId == task.EmailMessageId, cancellationToken))
        {
            throw AppProblem.Conflict("duplicate_email_task", $"The list \"{to.Name}\" already has a task made from the same email.");
        }
        task.ListId = to.Id;
        var status = to.Statuses.Contains(task.Status) ? task.Status : task.ClosedAt is not null ? to.DoneStatus : to.OpenStatus;
        Record(db, task.Id, ActivityKind.Moved, actor.Id, $"moved the task from {from.Name} to {to.Name}");
        if (status != task.Status)
        {
            ChangeStatus(actor, task, to, status);
        }
        task.ClosedAt = task.Status == to.DoneStatus ? task.ClosedAt ?? clock.GetUtcNow() : null;
        return await SaveAsync(actor, task, to, true, cancellationToken);
    }

    /// <summary>Replaces the assignees. Each must see the space; new assignees follow the task.</summary>
    public async Task<TaskView> SetAssigneesAsync(User actor, Guid taskId, IReadOnlyList<Guid> userIds, CancellationToken cancellationToken = default)
    {
        var (task, list) = await FindAsync(actor, taskId, write: true, cancellationToken);
        await AssignAsync(actor, task, list, userIds, cancellationToken);
        return await SaveAsync(actor, task, list, true, cancellationToken);
    }

    /// <summary>Who the task may be assigned to: whoever sees its space. Only those who may change the task ask.</summary>
    public async Task<IReadOnlyList<PersonRef>> AssignableAsync(User actor, Guid taskId, CancellationToken cancellationToken = default)
    {
        var (_, list) = await FindAsync(actor, taskId, write: true, cancellationToken);
        return await spaces.Viewers(list.SpaceId).AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Id)
            .Select(u => new PersonRef(u.Id, u.DisplayName)).ToListAsync(cancellationToken);
    }

    public async Task<TaskView> FollowAsync(User actor, Guid taskId, bool follow, CancellationToken cancellationToken = default)
    {
        // Following only changes what the actor is told about, so guests may follow what they can read.
        var (task, list) = await FindAsync(actor, taskId, write: false, cancellationToken);
        var existing = task.Followers.FirstOrDefault(f => f.UserId == actor.Id);
        if (follow && existing is null)
        {
            task.Followers.Add(new TaskFollower { TaskId = task.Id, UserId = actor.Id });
        }
        else if (!follow && existing is not null)
        {
            task.Followers.Remove(existing);
        }
        await db.SaveChangesAsync(cancellationToken);
        return (await DescribeAsync(actor, [task], list.SpaceId, cancellationToken))[0];
    }

    public async Task DeleteAsync(User actor, Guid taskId, CancellationToken cancellationToken = default)
    {
        var (task, _) = await FindAsync(actor, taskId, write: true, cancellationToken);
        db.Tasks.Remove(task);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Admins replace a task's address: the old one is refused from the next RCPT on.</summary>
    public async Task<TaskView> ResetAddressAsync(User actor, Guid taskId, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var (task, list) = await FindAsync(actor, taskId, write: true, cancellationToken);
        task.LocalPart = await minter.NewLocalPartAsync(task.Name, cancellationToken);
        Record(db, task.Id, ActivityKind.AddressReset, actor.Id, "reset the task's email address; the old one no longer accepts mail");
        return await SaveAsync(actor, task, list, true, cancellationToken);
    }

    public async Task<IReadOnlyList<TaskView>> DescribeAsync(User actor, IReadOnlyList<WorkTask> tasks, Guid spaceId, CancellationToken cancellationToken)
    {
        var taskIds = tasks.Select(t => t.Id).ToList();
        var userIds = tasks.SelectMany(t => t.Assignees.Select(a => a.UserId).Concat(t.Followers.Select(f => f.UserId)))
            .Concat(tasks.Where(t => t.CreatedByUserId is not null).Select(t => t.CreatedByUserId!.Value)).Distinct().ToList();
        var names = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var attachments = (await db.TaskAttachments.AsNoTracking().Where(a => taskIds.Contains(a.TaskId) && a.CommentId == null).ToListAsync(cancellationToken))
            .ToLookup(a => a.TaskId);
        var listIds = tasks.Select(t => t.ListId).Distinct().ToList();
        var fields = (await db.CustomFields.AsNoTracking().Where(f => listIds.Contains(f.ListId)).ToListAsync(cancellationToken))
            .OrderBy(f => f.Position).ThenBy(f => f.Id).ToLookup(f => f.ListId);
        var values = (await db.CustomFieldValues.AsNoTracking().Where(v => taskIds.Contains(v.TaskId)).ToListAsync(cancellationToken))
            .ToDictionary(v => (v.TaskId, v.FieldId), v => v.Value);
        PersonRef Person(Guid id) => new(id, names.GetValueOrDefault(id, "(former member)"));
        return tasks.Select(t => new TaskView(
            t.Id, t.ListId, spaceId, t.Name, t.Description, t.Status, t.ClosedAt is not null, t.ClosedAt, t.DueDate,
            t.Assignees.Select(a => Person(a.UserId)).OrderBy(p => p.DisplayName).ToList(),
            t.Followers.Select(f => Person(f.UserId)).OrderBy(p => p.DisplayName).ToList(),
            t.CreatedByUserId is { } by ? names.GetValueOrDefault(by, "(former member)") : t.CreatorEmail ?? "(unknown sender)",
            t.CreatedByUserId, t.FromEmail, t.CreatorEmail, t.CreatorName, t.Notes,
            actor.Role == WorkspaceRole.Guest ? null : lists.AddressOf(t.LocalPart),
            t.CreatedAt, t.UpdatedAt,
            attachments[t.Id].OrderBy(a => a.FileName).Select(a => Attachment(t.Id, a)).ToList(),
            fields[t.ListId].Select(f => new TaskFieldView(f.Id, f.Name, f.Type, values.GetValueOrDefault((t.Id, f.Id)))).ToList(), t.SenderUnverified)).ToList();
    }

    public static AttachmentView Attachment(Guid taskId, TaskAttachment a) =>
        AttachmentView.Of(a.Id, a.FileName, a.ContentType, a.Size, $"/api/tasks/{taskId}/attachments/{a.Id}");

    private async Task<TaskView> SaveAsync(User actor, WorkTask task, TaskList list, bool touched, CancellationToken cancellationToken)
    {
        if (touched)
        {
            task.UpdatedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
        return (await DescribeAsync(actor, [task], list.SpaceId, cancellationToken))[0];
    }

    private void ChangeStatus(User actor, WorkTask task, TaskList list, string status)
    {
        if (status == task.Status)
        {
            return;
        }
        Record(db, task.Id, ActivityKind.StatusChanged, actor.Id, $"changed the status from {task.Status} to {status}");
        var wasClosed = task.ClosedAt is not null;
        task.Status = status;
        var closed = status == list.DoneStatus;
        if (closed && !wasClosed)
        {
            task.ClosedAt = clock.GetUtcNow();
            Record(db, task.Id, ActivityKind.Closed, actor.Id, "closed the task");
        }
        else if (!closed && wasClosed)
        {
            task.ClosedAt = null;
            Record(db, task.Id, ActivityKind.Reopened, actor.Id, "reopened the task");
        }
    }

    private async Task AssignAsync(User actor, WorkTask task, TaskList list, IReadOnlyList<Guid> userIds, CancellationToken cancellationToken)
    {
        var wanted = userIds.Distinct().ToList();
        var users = await db.Users.Where(u => wanted.Contains(u.Id)).ToListAsync(cancellationToken);
        foreach (var id in wanted)
        {
            var user = users.FirstOrDefault(u => u.Id == id) ?? throw AppProblem.Invalid("unknown_assignee", $"There is no member {id}.");
            if (!await spaces.Visible(user).AnyAsync(s => s.Id == list.SpaceId, cancellationToken))
            {
                throw AppProblem.Invalid("assignee_cannot_see_space", $"{user.DisplayName} cannot see this space; let them in before assigning the task.");
            }
        }
        var removed = task.Assignees.Where(a => !wanted.Contains(a.UserId)).ToList();
        var added = wanted.Where(id => task.Assignees.All(a => a.UserId != id)).ToList();
        foreach (var a in removed)
        {
            task.Assignees.Remove(a);
        }
        foreach (var id in added)
        {
            task.Assignees.Add(new TaskAssignee { TaskId = task.Id, UserId = id });
            if (task.Followers.All(f => f.UserId != id))
            {
                task.Followers.Add(new TaskFollower { TaskId = task.Id, UserId = id });
            }
        }
        if (removed.Count + added.Count > 0)
        {
            var names = users.ToDictionary(u => u.Id, u => u.DisplayName);
            var who = wanted.Count == 0 ? "nobody" : string.Join(", ", wanted.Select(id => names[id]).Order());
            Record(db, task.Id, ActivityKind.Assigned, actor.Id, $"assigned the task to {who}");
        }
    }

    private static string ValidName(string? name)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 1000)
        {
            throw AppProblem.Invalid("invalid_task_name", "Give the task a name of 1 to 1000 characters.");
        }
        return name;
    }

    private static string ValidStatus(TaskList list, string status) =>
        list.Statuses.FirstOrDefault(s => string.Equals(s, status?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw AppProblem.Invalid("invalid_status", $"\"{status}\" is not a status of the list {list.Name}; choose one of: {string.Join(", ", list.Statuses)}.");
}
