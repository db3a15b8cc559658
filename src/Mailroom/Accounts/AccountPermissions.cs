using Mailroom.Hosting;
using Mailroom.People;

namespace Mailroom.Accounts;

/// <summary>
/// Who may do what with connected mailboxes, decided here only (the API and, later, the pages
/// ask), so the Permissions room can take it over whole.
/// </summary>
public sealed class AccountPermissions
{
    public const string GuestRefusedCode = "account_guest_refused";

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

    /// <summary>Who may send from an account: the member who linked it (grants to others come with the Permissions room).</summary>
    public bool MaySend(User actor, MailAccount account) =>
        actor.Role != WorkspaceRole.Guest && !actor.IsDeactivated && account.UserId == actor.Id;

    public void RequireMayRemove(User actor, MailAccount account)
    {
        RequireNotGuest(actor);
        if (!actor.IsAdmin && account.UserId != actor.Id)
        {
            throw AppProblem.Forbidden("Only the member who linked this email account, or an owner or admin, may remove it.");
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
