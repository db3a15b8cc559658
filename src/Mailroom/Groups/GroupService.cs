using System.Data;
using System.Data.Common;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Groups;

/// <summary>Groups and who belongs to them. Admins see every group; others see the groups they are in.</summary>
public sealed class GroupService(MailroomDb db)
{
    public IQueryable<Group> Visible(User user) =>
        user.IsAdmin ? db.Groups : db.Groups.Where(g => g.Members.Any(m => m.UserId == user.Id));

    public async Task<Group> GetVisibleAsync(User user, Guid groupId, CancellationToken cancellationToken = default) =>
        await Visible(user).AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, cancellationToken)
        ?? throw AppProblem.NotFound("The group");

    public async Task<bool> IsManagerAsync(User user, Guid groupId, CancellationToken cancellationToken = default) =>
        await db.GroupMembers.AnyAsync(m => m.GroupId == groupId && m.UserId == user.Id && m.IsManager, cancellationToken);

    /// <summary>Members and above may create groups; the creator becomes its manager.</summary>
    public async Task<Group> CreateAsync(User actor, string name, string? description, CancellationToken cancellationToken = default)
    {
        if (actor.Role == WorkspaceRole.Guest)
        {
            throw AppProblem.Forbidden("Guests cannot create groups.");
        }
        var group = New(actor, name, description);
        await db.SaveChangesAsync(cancellationToken);
        return group;
    }

    /// <summary>Adds a group to the context without saving, for callers that save it with more.</summary>
    internal Group New(User actor, string name, string? description)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
        {
            throw AppProblem.Invalid("invalid_group_name", "Give the group a name of 1 to 200 characters.");
        }
        var group = new Group { Name = name.Trim(), Description = description?.Trim() ?? "" };
        group.Members.Add(new GroupMember { UserId = actor.Id, IsManager = true });
        db.Groups.Add(group);
        return group;
    }

    /// <summary>Admins manage every group's members; a group's managers manage theirs.</summary>
    public async Task<bool> CanManageAsync(User user, Guid groupId, CancellationToken cancellationToken = default) =>
        user.IsAdmin || (user.Role != WorkspaceRole.Guest && await IsManagerAsync(user, groupId, cancellationToken));

    /// <summary>
    /// Adds a member, or changes whether they manage the group. Guests may read a group but never
    /// manage it, and the group always keeps one manager (see <see cref="RemoveMemberAsync"/>).
    /// </summary>
    public async Task AddMemberAsync(User actor, Guid groupId, Guid userId, bool isManager, CancellationToken cancellationToken = default)
    {
        var group = await GetVisibleAsync(actor, groupId, cancellationToken);
        await RequireManagerAsync(actor, group.Id, "add members to it or change its managers", cancellationToken);
        var target = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw AppProblem.NotFound("The member");
        if (isManager && target.Role == WorkspaceRole.Guest)
        {
            throw AppProblem.Invalid("guest_cannot_manage", "Guests can be in a group but cannot manage it.");
        }
        var membership = await db.GroupMembers.FirstOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId, cancellationToken);
        if (membership?.IsManager == isManager)
        {
            return;
        }
        var unmakesManager = membership is { IsManager: true };
        if (membership is null)
        {
            db.GroupMembers.Add(new GroupMember { GroupId = groupId, UserId = userId, IsManager = isManager });
        }
        else
        {
            membership.IsManager = isManager;
        }
        await SaveKeepingAManagerAsync(groupId, unmakesManager, cancellationToken);
    }

    /// <summary>
    /// Takes a member out of a group: admins and the group's managers remove anyone, and every
    /// member may leave. The last manager cannot go (<c>last_manager</c>), so a group never
    /// ends up with nobody but admins to look after it; make someone else a manager first.
    /// </summary>
    public async Task RemoveMemberAsync(User actor, Guid groupId, Guid userId, CancellationToken cancellationToken = default)
    {
        var group = await GetVisibleAsync(actor, groupId, cancellationToken);
        if (userId != actor.Id)
        {
            await RequireManagerAsync(actor, group.Id, "remove its members", cancellationToken);
        }
        var membership = await db.GroupMembers.FirstOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId, cancellationToken)
            ?? throw AppProblem.NotFound("The group's member");
        db.GroupMembers.Remove(membership);
        await SaveKeepingAManagerAsync(groupId, membership.IsManager, cancellationToken);
    }

    /// <summary>The group's members, managers first. Guests do not get the list: the workspace's people are not theirs to learn.</summary>
    public async Task<IReadOnlyList<GroupMemberView>> ListMembersAsync(User actor, Guid groupId, CancellationToken cancellationToken = default)
    {
        if (actor.Role == WorkspaceRole.Guest)
        {
            throw AppProblem.Forbidden("Guests cannot list a group's members.");
        }
        var group = await GetVisibleAsync(actor, groupId, cancellationToken);
        var rows = await db.GroupMembers.AsNoTracking().Where(m => m.GroupId == group.Id)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.IsManager, User = u })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new GroupMemberView(r.User.Id, r.User.DisplayName, r.User.Email ?? "", r.User.Role, r.IsManager, !r.User.IsDeactivated))
            .OrderByDescending(m => m.IsManager).ThenBy(m => m.DisplayName, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>Active workspace members not yet in the group, for the "Add a member" picker.</summary>
    public async Task<IReadOnlyList<User>> CandidatesAsync(User actor, Guid groupId, CancellationToken cancellationToken = default)
    {
        var group = await GetVisibleAsync(actor, groupId, cancellationToken);
        await RequireManagerAsync(actor, group.Id, "add members to it", cancellationToken);
        var users = await db.Users.AsNoTracking()
            .Where(u => !db.GroupMembers.Any(m => m.GroupId == group.Id && m.UserId == u.Id))
            .ToListAsync(cancellationToken);
        return users.Where(u => !u.IsDeactivated).OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>
    /// For a member who opened a group they are not in: its name and its managers, so the page
    /// can say whom to ask. Null for guests (a link does not tell them a group exists) and for
    /// groups that do not exist.
    /// </summary>
    public async Task<GroupOutsiderView?> DescribeForOutsiderAsync(User actor, Guid groupId, CancellationToken cancellationToken = default)
    {
        if (actor.Role == WorkspaceRole.Guest)
        {
            return null;
        }
        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, cancellationToken);
        if (group is null)
        {
            return null;
        }
        var managers = await db.GroupMembers.AsNoTracking().Where(m => m.GroupId == groupId && m.IsManager)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.DisplayName).ToListAsync(cancellationToken);
        return new GroupOutsiderView(group.Id, group.Name, managers.Order(StringComparer.CurrentCultureIgnoreCase).ToList());
    }

    private async Task RequireManagerAsync(User actor, Guid groupId, string what, CancellationToken cancellationToken)
    {
        if (!await CanManageAsync(actor, groupId, cancellationToken))
        {
            throw AppProblem.Forbidden($"Only admins and the group's managers may {what}.");
        }
    }

    /// <summary>
    /// Saves a membership change; when it took a manager away, checks in the same serializable
    /// transaction that one is left, so two managers removing each other at once cannot leave none
    /// (SQLite runs one writer at a time; PostgreSQL aborts one of the two).
    /// </summary>
    private async Task SaveKeepingAManagerAsync(Guid groupId, bool wasManager, CancellationToken cancellationToken)
    {
        if (!wasManager)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                if (!await db.GroupMembers.AnyAsync(m => m.GroupId == groupId && m.IsManager, cancellationToken))
                {
                    throw AppProblem.Conflict("last_manager", "A group needs a manager: make another member a manager first.");
                }
                await tx.CommitAsync(cancellationToken);
            }
            catch (Exception ex)
            {
                db.ChangeTracker.Clear();
                if ((ex as DbException ?? ex.InnerException as DbException)?.SqlState == "40001")
                {
                    throw AppProblem.Conflict("concurrent_change", "Someone changed this group's members at the same moment. Look at the list again and retry.");
                }
                throw;
            }
        });
    }
}
