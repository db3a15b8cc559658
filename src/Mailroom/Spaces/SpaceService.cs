using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Spaces;

/// <summary>
/// Spaces and who sees them: owners, admins and members see every space and may create them;
/// guests see only the spaces an admin let them into, and only read there.
/// </summary>
public sealed class SpaceService(MailroomDb db)
{
    public IQueryable<Space> Visible(User user) =>
        user.Role == WorkspaceRole.Guest
            ? db.Spaces.Where(s => db.SpaceGuests.Any(g => g.SpaceId == s.Id && g.UserId == user.Id))
            : db.Spaces;

    /// <summary>The people who see a space: the same rule as <see cref="Visible"/>, asked the other way round.</summary>
    public IQueryable<User> Viewers(Guid spaceId) =>
        db.Users.Where(u => u.Role != WorkspaceRole.Guest || db.SpaceGuests.Any(g => g.SpaceId == spaceId && g.UserId == u.Id));

    public async Task<Space> GetVisibleAsync(User user, Guid spaceId, CancellationToken cancellationToken = default) =>
        await Visible(user).FirstOrDefaultAsync(s => s.Id == spaceId, cancellationToken)
        ?? throw AppProblem.NotFound("The space");

    /// <summary>A space the user may change things in: visible, and the user is not a guest.</summary>
    public async Task<Space> GetWritableAsync(User user, Guid spaceId, CancellationToken cancellationToken = default)
    {
        var space = await GetVisibleAsync(user, spaceId, cancellationToken);
        RequireNotGuest(user);
        return space;
    }

    public static void RequireNotGuest(User user)
    {
        if (user.Role == WorkspaceRole.Guest)
        {
            throw AppProblem.Forbidden("Guests can read this space but not change it.");
        }
    }

    public async Task<Space> CreateAsync(User actor, string name, string? description, CancellationToken cancellationToken = default)
    {
        RequireNotGuest(actor);
        var space = new Space { Name = ValidName(name), Description = description?.Trim() ?? "", CreatedByUserId = actor.Id };
        db.Spaces.Add(space);
        await db.SaveChangesAsync(cancellationToken);
        return space;
    }

    public async Task<Space> UpdateAsync(User actor, Guid spaceId, string? name, string? description, CancellationToken cancellationToken = default)
    {
        var space = await GetWritableAsync(actor, spaceId, cancellationToken);
        if (name is not null)
        {
            space.Name = ValidName(name);
        }
        if (description is not null)
        {
            space.Description = description.Trim();
        }
        await db.SaveChangesAsync(cancellationToken);
        return space;
    }

    /// <summary>Admins only: it takes every list, task and comment of the space with it.</summary>
    public async Task DeleteAsync(User actor, Guid spaceId, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var space = await GetVisibleAsync(actor, spaceId, cancellationToken);
        db.Spaces.Remove(space);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Admins let a guest into a space (members and admins see every space already).</summary>
    public async Task AddGuestAsync(User actor, Guid spaceId, Guid userId, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        await GetVisibleAsync(actor, spaceId, cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw AppProblem.NotFound("The member");
        if (user.Role != WorkspaceRole.Guest)
        {
            throw AppProblem.Invalid("not_a_guest", $"{user.DisplayName} is not a guest: members and admins see every space already.");
        }
        if (!await db.SpaceGuests.AnyAsync(g => g.SpaceId == spaceId && g.UserId == userId, cancellationToken))
        {
            db.SpaceGuests.Add(new SpaceGuest { SpaceId = spaceId, UserId = userId });
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static string ValidName(string? name)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            throw AppProblem.Invalid("invalid_space_name", "Give the space a name of 1 to 200 characters.");
        }
        return name;
    }
}
