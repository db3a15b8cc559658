using Mailroom.Accounts;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Mailroom.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Permissions;

/// <summary>Lending a mailbox to other members (B7): the linker lists, grants and revokes; <see cref="AccountPermissions"/> decides who may.</summary>
public sealed class AccountGrantService(MailroomDb db, AccountPermissions permissions, TimeProvider clock, ILogger<AccountGrantService> logger)
{
    public async Task<IReadOnlyList<AccountGrantView>> ListAsync(User actor, Guid accountId, CancellationToken cancellationToken)
    {
        var account = await LinkedByAsync(actor, accountId, cancellationToken);
        var rows = await db.AccountGrants.AsNoTracking().Where(g => g.AccountId == account.Id)
            .Join(db.Users, g => g.UserId, u => u.Id, (g, u) => new { Grant = g, u.DisplayName, u.Email })
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.DisplayName, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.Grant.UserId)
            .Select(r => new AccountGrantView(r.Grant.AccountId, r.Grant.UserId, r.DisplayName, r.Email, r.Grant.GrantedBy, r.Grant.CreatedAt))
            .ToList();
    }

    /// <summary>The members the linker may still grant: active, not guests, not themselves, not granted yet.</summary>
    public async Task<IReadOnlyList<PersonRef>> CandidatesAsync(User actor, Guid accountId, CancellationToken cancellationToken)
    {
        var account = await LinkedByAsync(actor, accountId, cancellationToken);
        var granted = db.AccountGrants.Where(g => g.AccountId == account.Id).Select(g => g.UserId);
        var users = await db.Users.AsNoTracking()
            .Where(u => u.Id != account.UserId && u.Role != WorkspaceRole.Guest && !granted.Contains(u.Id))
            .ToListAsync(cancellationToken);
        return users.Where(u => !u.IsDeactivated)
            .OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .Select(u => new PersonRef(u.Id, u.DisplayName)).ToList();
    }

    /// <summary>Lets <paramref name="userId"/> send from the account; granting twice keeps the first grant.</summary>
    public async Task<AccountGrantView> GrantAsync(User actor, Guid accountId, Guid userId, CancellationToken cancellationToken)
    {
        var account = await LinkedByAsync(actor, accountId, cancellationToken);
        var grantee = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw AppProblem.NotFound("The member");
        permissions.RequireMayReceiveGrant(grantee, account);
        var grant = await db.AccountGrants.AsNoTracking().FirstOrDefaultAsync(g => g.AccountId == account.Id && g.UserId == userId, cancellationToken);
        if (grant is null)
        {
            grant = new AccountGrant { AccountId = account.Id, UserId = userId, GrantedBy = actor.Id, CreatedAt = clock.GetUtcNow() };
            db.AccountGrants.Add(grant);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                PermissionsLog.Granted(logger, account.Id, userId, actor.Id);
            }
            catch (DbUpdateException)
            {
                // Granted twice at once: the unique index kept one, which is what was asked.
                db.ChangeTracker.Clear();
                grant = await db.AccountGrants.AsNoTracking().FirstAsync(g => g.AccountId == account.Id && g.UserId == userId, cancellationToken);
            }
        }
        return new AccountGrantView(grant.AccountId, grant.UserId, grantee.DisplayName, grantee.Email, grant.GrantedBy, grant.CreatedAt);
    }

    public async Task RevokeAsync(User actor, Guid accountId, Guid userId, CancellationToken cancellationToken)
    {
        var account = await LinkedByAsync(actor, accountId, cancellationToken);
        var removed = await db.AccountGrants.Where(g => g.AccountId == account.Id && g.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            throw AppProblem.NotFound("The grant");
        }
        PermissionsLog.Revoked(logger, account.Id, userId, actor.Id);
    }

    // A missing account answers like a refused one: others' account ids are not probed.
    private async Task<MailAccount> LinkedByAsync(User actor, Guid accountId, CancellationToken cancellationToken)
    {
        permissions.RequireNotGuest(actor);
        var account = await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken)
            ?? throw new AppProblem(StatusCodes.Status403Forbidden, AccountProblems.SendNotAllowed, AccountProblems.AccessRemedy);
        permissions.RequireIsLinker(actor, account);
        return account;
    }
}
