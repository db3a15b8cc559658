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

    public async Task AddMemberAsync(User actor, Guid groupId, Guid userId, bool isManager, CancellationToken cancellationToken = default)
    {
        var group = await GetVisibleAsync(actor, groupId, cancellationToken);
        if (!actor.IsAdmin && !await IsManagerAsync(actor, group.Id, cancellationToken))
        {
            throw AppProblem.Forbidden("Only admins and the group's managers may add members to it.");
        }
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            throw AppProblem.NotFound("The member");
        }
        var membership = await db.GroupMembers.FirstOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            db.GroupMembers.Add(new GroupMember { GroupId = groupId, UserId = userId, IsManager = isManager });
        }
        else
        {
            membership.IsManager = isManager;
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
