using Mailroom.Hosting;
using Mailroom.Integrations;
using Mailroom.People;
using Mailroom.Spaces;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Tasks;

/// <summary>Lists of a space, their status sets and their secret addresses.</summary>
public sealed class ListService(MailroomDb db, SpaceService spaces, AddressMinter minter, IOptions<MailroomOptions> mailroom)
{
    public string AddressOf(string localPart) => $"{localPart}@{mailroom.Value.MailDomain}";

    public async Task<IReadOnlyList<ListView>> ListAsync(User actor, Guid spaceId, CancellationToken cancellationToken = default)
    {
        await spaces.GetVisibleAsync(actor, spaceId, cancellationToken);
        var lists = await db.TaskLists.AsNoTracking().Where(l => l.SpaceId == spaceId).OrderBy(l => l.CreatedAt).ToListAsync(cancellationToken);
        return lists.Select(l => Describe(actor, l)).ToList();
    }

    /// <summary>Every list in every space the actor sees, oldest first (where a task may be moved to, for members).</summary>
    public async Task<IReadOnlyList<ListView>> ListAllAsync(User actor, CancellationToken cancellationToken = default)
    {
        var visible = spaces.Visible(actor).Select(s => s.Id);
        var lists = await db.TaskLists.AsNoTracking().Where(l => visible.Contains(l.SpaceId)).ToListAsync(cancellationToken);
        return lists.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).Select(l => Describe(actor, l)).ToList();
    }

    public async Task<TaskList> GetVisibleAsync(User actor, Guid listId, CancellationToken cancellationToken = default)
    {
        var list = await db.TaskLists.FirstOrDefaultAsync(l => l.Id == listId, cancellationToken) ?? throw AppProblem.NotFound("The list");
        await spaces.GetVisibleAsync(actor, list.SpaceId, cancellationToken);
        return list;
    }

    public async Task<TaskList> GetWritableAsync(User actor, Guid listId, CancellationToken cancellationToken = default)
    {
        var list = await GetVisibleAsync(actor, listId, cancellationToken);
        SpaceService.RequireNotGuest(actor);
        return list;
    }

    public async Task<ListView> GetAsync(User actor, Guid listId, CancellationToken cancellationToken = default) =>
        Describe(actor, await GetVisibleAsync(actor, listId, cancellationToken));

    public async Task<ListView> CreateAsync(User actor, Guid spaceId, string? name, IReadOnlyList<string>? statuses, string? doneStatus, CancellationToken cancellationToken = default)
    {
        await spaces.GetWritableAsync(actor, spaceId, cancellationToken);
        var validName = ValidName(name);
        var list = new TaskList { SpaceId = spaceId, Name = validName, LocalPart = await minter.NewLocalPartAsync(validName, cancellationToken) };
        if (statuses is not null || doneStatus is not null)
        {
            (list.Statuses, list.DoneStatus) = ValidStatuses(statuses ?? TaskList.DefaultStatuses, doneStatus);
        }
        db.TaskLists.Add(list);
        await db.SaveChangesAsync(cancellationToken);
        return Describe(actor, list);
    }

    /// <summary>
    /// Renames the list or replaces its status set. Tasks in a status that no longer exists move
    /// to the list's first open status, and their closed state follows the new done status.
    /// </summary>
    public async Task<ListView> UpdateAsync(User actor, Guid listId, string? name, IReadOnlyList<string>? statuses, string? doneStatus, CancellationToken cancellationToken = default)
    {
        var list = await GetWritableAsync(actor, listId, cancellationToken);
        if (name is not null)
        {
            list.Name = ValidName(name);
        }
        if (statuses is not null || doneStatus is not null)
        {
            var keptDone = statuses is null || statuses.Contains(list.DoneStatus) ? list.DoneStatus : null;
            (list.Statuses, list.DoneStatus) = ValidStatuses(statuses ?? list.Statuses, doneStatus ?? keptDone);
            var now = DateTimeOffset.UtcNow;
            foreach (var task in await db.Tasks.Where(t => t.ListId == listId).ToListAsync(cancellationToken))
            {
                if (!list.Statuses.Contains(task.Status))
                {
                    TaskService.Record(db, task.Id, ActivityKind.StatusChanged, actor.Id, $"status {task.Status} was removed from the list; now {list.OpenStatus}");
                    task.Status = list.OpenStatus;
                }
                task.ClosedAt = task.Status == list.DoneStatus ? task.ClosedAt ?? now : null;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return Describe(actor, list);
    }

    /// <summary>Admins only: takes the list's tasks with it.</summary>
    public async Task DeleteAsync(User actor, Guid listId, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var list = await GetVisibleAsync(actor, listId, cancellationToken);
        db.TaskLists.Remove(list);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Admins replace a list's address: the old one is refused from the next RCPT on.</summary>
    public async Task<ListView> ResetAddressAsync(User actor, Guid listId, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var list = await GetVisibleAsync(actor, listId, cancellationToken);
        list.LocalPart = await minter.NewLocalPartAsync(list.Name, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Describe(actor, list);
    }

    private ListView Describe(User actor, TaskList l) =>
        new(l.Id, l.SpaceId, l.Name, l.Statuses, l.DoneStatus, actor.Role == WorkspaceRole.Guest ? null : AddressOf(l.LocalPart), l.CreatedAt);

    private static string ValidName(string? name)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            throw AppProblem.Invalid("invalid_list_name", "Give the list a name of 1 to 200 characters.");
        }
        return name;
    }

    private static (List<string> Statuses, string Done) ValidStatuses(IEnumerable<string> statuses, string? doneStatus)
    {
        var list = statuses.Select(s => s?.Trim() ?? "").ToList();
        if (list.Count is 0 or > 50 || list.Any(s => s.Length is 0 or > 100) || list.Distinct(StringComparer.OrdinalIgnoreCase).Count() != list.Count)
        {
            throw AppProblem.Invalid("invalid_statuses", "Give the list 1 to 50 different statuses of 1 to 100 characters each.");
        }
        var done = doneStatus?.Trim() ?? list[^1];
        if (!list.Contains(done))
        {
            throw AppProblem.Invalid("invalid_done_status", $"The done status \"{done}\" must be one of the list's statuses.");
        }
        return (list, done);
    }
}
