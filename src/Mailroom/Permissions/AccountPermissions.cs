using Mailroom.Accounts;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Plans;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Permissions;

/// <summary>
/// Who may do what with connected mailboxes, decided here only: the API, the pages and the
/// outbox ask. Two questions are the workspace's role permissions (B18): whether the member's
/// role may send email at all and add email accounts (<see cref="EmailRightsAsync"/>); the
/// others are about one mailbox (who linked it, who holds a grant).
/// </summary>
public sealed class AccountPermissions(MailroomDb db, PlanGates plans)
{
    public const string GuestRefusedCode = "account_guest_refused";

    /// <summary>The member's role lacks "Add email accounts" (B18): nothing is linked.</summary>
    public const string AddNotAllowedCode = AccountProblems.AddNotAllowed;

    /// <summary>
    /// What <paramref name="actor"/>'s role may do with email in this workspace: the owner both,
    /// a guest (or a deactivated member) neither; admins and members what the workspace's custom
    /// role permissions say when its plan has them, both otherwise (settings stored under another
    /// plan are kept but not read).
    /// </summary>
    public async Task<EmailRights> EmailRightsAsync(User actor, CancellationToken cancellationToken = default)
    {
        return actor.IsDeactivated ? EmailRights.None(actor.Role) : actor.Role switch
        {
            WorkspaceRole.Owner => EmailRights.Both(actor.Role),
            WorkspaceRole.Guest => EmailRights.None(actor.Role),
            _ => await CustomAsync(actor.Role, cancellationToken),
        };
    }

    private async Task<EmailRights> CustomAsync(WorkspaceRole role, CancellationToken cancellationToken)
    {
        if (!(await plans.MayAsync(PlanFeature.CustomPermissions, cancellationToken)).Allowed)
        {
            return EmailRights.Both(role);
        }
        var stored = await db.EmailRolePermissions.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return stored is null ? EmailRights.Both(role) : new EmailRights(role, stored.SendEmail(role), stored.AddAccounts(role));
    }

    public async Task<bool> MaySendEmailAsync(User actor, CancellationToken cancellationToken = default) =>
        (await EmailRightsAsync(actor, cancellationToken)).SendEmail;

    public async Task<bool> MayAddAccountsAsync(User actor, CancellationToken cancellationToken = default) =>
        (await EmailRightsAsync(actor, cancellationToken)).AddAccounts;

    /// <summary>Every send asks this first (the outbox, now or scheduled, and its edits): ACCESS_137 when the role lacks "Send email".</summary>
    public async Task RequireMaySendEmailAsync(User actor, CancellationToken cancellationToken = default)
    {
        RequireNotGuest(actor);
        var rights = await EmailRightsAsync(actor, cancellationToken);
        if (!rights.SendEmail)
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, AccountProblems.SendNotAllowed, rights.SendRefusal!);
        }
    }

    /// <summary>Every new link asks this (a password link, an OAuth link's start and its callback): <see cref="AddNotAllowedCode"/> when the role lacks "Add email accounts".</summary>
    public async Task RequireMayAddAccountsAsync(User actor, CancellationToken cancellationToken = default)
    {
        RequireNotGuest(actor);
        var rights = await EmailRightsAsync(actor, cancellationToken);
        if (!rights.AddAccounts)
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, AddNotAllowedCode, rights.AddRefusal!);
        }
    }

    /// <summary>A guest was picked to receive a grant: guests never send from the workspace's mailboxes.</summary>
    public const string GuestGrantRefusedCode = "grant_guest_refused";

    /// <summary>Guests never link, see or remove mailboxes: they act only inside the spaces they were invited to.</summary>
    public void RequireNotGuest(User actor)
    {
        if (actor.Role == WorkspaceRole.Guest)
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, GuestRefusedCode, "Guests cannot link or manage email accounts.");
        }
    }

    /// <summary>Owners and admins see every account (to remove one a member left behind); members their own.</summary>
    public bool SeesEveryAccount(User actor) => actor.IsAdmin;

    /// <summary>
    /// The rule itself: the member who linked the account sends from it, and so does an active
    /// member holding a grant; never a guest (even one who held a grant before their role changed).
    /// <paramref name="holdsGrant"/> comes from <see cref="HoldsGrantAsync"/>; <see cref="MaySendAsync"/> asks it.
    /// </summary>
    public bool MaySend(User actor, MailAccount account, bool holdsGrant = false) =>
        actor.Role != WorkspaceRole.Guest && !actor.IsDeactivated && (account.UserId == actor.Id || holdsGrant);

    /// <summary>Whether <paramref name="actor"/> may send from <paramref name="account"/>: their role may send email, and the account is theirs or granted to them.</summary>
    public async Task<bool> MaySendAsync(User actor, MailAccount account, CancellationToken cancellationToken) =>
        await MaySendEmailAsync(actor, cancellationToken)
        && MaySend(actor, account, account.UserId != actor.Id && await HoldsGrantAsync(actor, account.Id, cancellationToken));

    public Task<bool> HoldsGrantAsync(User actor, Guid accountId, CancellationToken cancellationToken) =>
        db.AccountGrants.AnyAsync(g => g.AccountId == accountId && g.UserId == actor.Id, cancellationToken);

    /// <summary>The accounts <paramref name="actor"/> may send from: their own and those granted to them (nothing for a guest).</summary>
    public IQueryable<MailAccount> Sendable(User actor) => actor.Role == WorkspaceRole.Guest || actor.IsDeactivated
        ? db.MailAccounts.Where(_ => false)
        : db.MailAccounts.Where(a => a.UserId == actor.Id || db.AccountGrants.Any(g => g.AccountId == a.Id && g.UserId == actor.Id));

    public void RequireMayRemove(User actor, MailAccount account)
    {
        RequireNotGuest(actor);
        if (!actor.IsAdmin && account.UserId != actor.Id)
        {
            throw AppProblem.Forbidden("Only the member who linked this email account, or an owner or admin, may remove it.");
        }
    }

    /// <summary>
    /// Granting and revoking the right to send, and the account's Send-as name: the linker's only.
    /// Owners and admins may remove an account but not lend it out, since mail would leave in the
    /// linker's name; they get ACCESS_137 like anyone else, told why.
    /// </summary>
    public void RequireIsLinker(User actor, MailAccount account)
    {
        RequireNotGuest(actor);
        if (account.UserId == actor.Id && !actor.IsDeactivated)
        {
            return;
        }
        var why = actor.IsAdmin
            ? " Owners and admins may remove the account, but only the member who linked it decides who sends from it."
            : "";
        throw new AppProblem(StatusCodes.Status403Forbidden, AccountProblems.SendNotAllowed, AccountProblems.AccessRemedy + why);
    }

    /// <summary>Who may receive a grant: an active member or admin of the workspace, not a guest, not the linker.</summary>
    public void RequireMayReceiveGrant(User grantee, MailAccount account)
    {
        if (grantee.Role == WorkspaceRole.Guest)
        {
            throw new AppProblem(StatusCodes.Status400BadRequest, GuestGrantRefusedCode, $"{grantee.DisplayName} is a guest: guests cannot send from the workspace's email accounts.");
        }
        if (grantee.IsDeactivated)
        {
            throw AppProblem.Invalid("grant_member_deactivated", $"{grantee.DisplayName}'s account is deactivated.");
        }
        if (grantee.Id == account.UserId)
        {
            throw AppProblem.Invalid("grant_to_linker", $"{grantee.DisplayName} linked this account and sends from it already.");
        }
    }

    /// <summary>Only the member who linked an account signs in to it again or gives its new password: the credentials are theirs.</summary>
    public void RequireMayReauthenticate(User actor, MailAccount account)
    {
        RequireNotGuest(actor);
        if (account.UserId != actor.Id)
        {
            throw AppProblem.Forbidden("Only the member who linked this email account may re-authenticate it.");
        }
    }

    /// <summary>Testing a saved account's connection: whoever may remove it (its linker, owners and admins).</summary>
    public void RequireMayTest(User actor, MailAccount account) => RequireMayRemove(actor, account);
}
