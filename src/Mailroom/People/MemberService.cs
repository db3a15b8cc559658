using System.Data;
using System.Data.Common;
using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.People;

/// <summary>
/// The workspace's members: who they are, what role they have, whether they may still sign in.
/// Owners and admins manage members; only an owner touches owners; the workspace always keeps
/// one active owner. Members are deactivated, never deleted: their posts, comments and tasks
/// keep their name.
/// </summary>
public sealed class MemberService(MailroomDb db, UserManager<User> users)
{
    public async Task<IReadOnlyList<MemberView>> ListAsync(User actor, CancellationToken cancellationToken = default)
    {
        if (actor.Role == WorkspaceRole.Guest)
        {
            throw AppProblem.Forbidden("Guests cannot list the workspace's members.");
        }
        var all = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Email).ToListAsync(cancellationToken);
        return await DescribeAsync(all, cancellationToken);
    }

    public async Task<MemberView> GetAsync(User member, CancellationToken cancellationToken = default) =>
        (await DescribeAsync([member], cancellationToken))[0];

    /// <summary>Admins add members directly, with a first password (invitations by email come with outbound mail).</summary>
    public async Task<MemberView> AddAsync(User actor, string? displayName, string? email, string? password, WorkspaceRole role, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        if (role == WorkspaceRole.Owner || !Enum.IsDefined(role))
        {
            throw AppProblem.Invalid("invalid_role", "A new member's role is admin, member or guest. To add an owner, add them first, then an owner changes their role.");
        }
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Trim().Length > 200)
        {
            throw AppProblem.Invalid("invalid_name", "Give the member a display name of 1 to 200 characters.");
        }
        var user = new User { DisplayName = displayName.Trim(), Email = email?.Trim(), UserName = email?.Trim(), Role = role, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password ?? "");
        if (!created.Succeeded)
        {
            throw AppProblem.Invalid("invalid_account", string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        return await GetAsync(user, cancellationToken);
    }

    /// <summary>
    /// Changes a member's role and/or deactivates or reactivates them. Admins may do this to
    /// admins, members and guests; an owner's account and the owner role are an owner's alone;
    /// nobody may demote or deactivate the last active owner, nor deactivate themselves.
    /// </summary>
    public async Task<MemberView> UpdateAsync(User actor, Guid userId, WorkspaceRole? role, bool? active, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        if (role is { } r && !Enum.IsDefined(r))
        {
            throw AppProblem.Invalid("invalid_role", "A role is Owner, Admin, Member or Guest.");
        }
        var target = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw AppProblem.NotFound("The member");
        var changesRole = role is { } newRole && newRole != target.Role;
        var changesActive = active is { } a && a == target.IsDeactivated;
        if (!changesRole && !changesActive)
        {
            return await GetAsync(target, cancellationToken);
        }
        if (actor.Role != WorkspaceRole.Owner && target.Role == WorkspaceRole.Owner)
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, "owner_only", "Only an owner may change an owner's role or deactivate them.");
        }
        if (actor.Role != WorkspaceRole.Owner && role == WorkspaceRole.Owner && changesRole)
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, "owner_only", "Only an owner may make someone an owner.");
        }
        if (active == false && target.Id == actor.Id)
        {
            throw AppProblem.Invalid("cannot_deactivate_self", "You cannot deactivate your own account; ask another admin.");
        }

        var wasActiveOwner = target.Role == WorkspaceRole.Owner && !target.IsDeactivated;
        if (changesRole)
        {
            target.Role = role!.Value;
        }
        if (changesActive)
        {
            if (active == false)
            {
                await DeactivateAsync(target, cancellationToken);
            }
            else
            {
                target.LockoutEnd = null;
                target.AccessFailedCount = 0;
            }
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            // Serializable: two owners demoting each other at the same moment must not leave none.
            // SQLite runs one writer at a time; PostgreSQL aborts one of the two (40001).
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                if (wasActiveOwner && (target.Role != WorkspaceRole.Owner || target.IsDeactivated))
                {
                    var owners = await db.Users.Where(u => u.Role == WorkspaceRole.Owner).Select(u => u.LockoutEnd).ToListAsync(cancellationToken);
                    if (!owners.Any(end => end is null || end < User.DeactivatedUntil))
                    {
                        throw AppProblem.Conflict("last_owner", "The workspace needs an owner: make another member an owner first.");
                    }
                }
                await tx.CommitAsync(cancellationToken);
            }
            catch (Exception ex)
            {
                // Nothing was saved: the request's context must not save these changes later.
                db.ChangeTracker.Clear();
                if (IsSerializationFailure(ex))
                {
                    throw AppProblem.Conflict("concurrent_change", "Someone changed members at the same moment. Look at the list again and retry.");
                }
                throw;
            }
        });
        return await GetAsync(target, cancellationToken);
    }

    /// <summary>
    /// Ends every way in: password sign-in and tokens refuse a locked-out account, a new
    /// security stamp ends cookie sessions, and revoked tokens stay dead after reactivation.
    /// </summary>
    private async Task DeactivateAsync(User target, CancellationToken cancellationToken)
    {
        target.LockoutEnabled = true;
        target.LockoutEnd = User.DeactivatedUntil;
        target.SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
        var now = DateTimeOffset.UtcNow;
        foreach (var token in await db.ApiTokens.Where(t => t.UserId == target.Id && t.RevokedAt == null).ToListAsync(cancellationToken))
        {
            token.RevokedAt = now;
        }
    }

    private static bool IsSerializationFailure(Exception ex) =>
        (ex as DbException ?? ex.InnerException as DbException)?.SqlState == "40001";

    private async Task<IReadOnlyList<MemberView>> DescribeAsync(IReadOnlyList<User> members, CancellationToken cancellationToken)
    {
        var ids = members.Select(m => m.Id).ToList();
        var groups = (await db.GroupMembers.AsNoTracking().Where(m => ids.Contains(m.UserId))
                .Join(db.Groups, m => m.GroupId, g => g.Id, (m, g) => new { m.UserId, g.Id, g.Name })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.UserId, x => new PlaceRef(x.Id, x.Name));
        var guestIds = members.Where(m => m.Role == WorkspaceRole.Guest).Select(m => m.Id).ToList();
        var spaces = guestIds.Count == 0
            ? Enumerable.Empty<PlaceRef>().ToLookup(_ => Guid.Empty)
            : (await db.SpaceGuests.AsNoTracking().Where(g => guestIds.Contains(g.UserId))
                    .Join(db.Spaces, g => g.SpaceId, s => s.Id, (g, s) => new { g.UserId, s.Id, s.Name })
                    .ToListAsync(cancellationToken))
                .ToLookup(x => x.UserId, x => new PlaceRef(x.Id, x.Name));
        return members.Select(m => new MemberView(
            m.Id, m.DisplayName, m.Email ?? "", m.Role, !m.IsDeactivated, m.CreatedAt,
            groups[m.Id].OrderBy(g => g.Name).ToList(),
            m.Role == WorkspaceRole.Guest ? spaces[m.Id].OrderBy(s => s.Name).ToList() : [])).ToList();
    }
}
