using Mailroom.Notifications;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Accounts;

/// <summary>
/// Tells the workspace's other owners and admins that a mailbox stopped working for want of a new
/// login (B21). The member who linked it sees the banner instead: only they can sign in again.
/// Called by whatever made the account NeedsReauthentication (a refused refresh token here, the
/// watcher's repeated refused logins); each admin gets one unread notice per account, not one per failure.
/// </summary>
public sealed class AccountHealthNotifier(TimeProvider clock, ILogger<AccountHealthNotifier> logger)
{
    /// <summary>Adds the notices for <paramref name="account"/> (when it is NeedsReauthentication) and saves the context.</summary>
    public async Task ReportAsync(MailroomDb db, MailAccount account, CancellationToken cancellationToken = default)
    {
        if (account.Health != AccountHealth.NeedsReauthentication)
        {
            return;
        }
        var owner = await db.Users.AsNoTracking().Where(u => u.Id == account.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? "A member";
        var admins = await db.Users.AsNoTracking()
            .Where(u => u.Id != account.UserId && (u.Role == WorkspaceRole.Owner || u.Role == WorkspaceRole.Admin))
            .Where(u => !db.Notifications.Any(n => n.UserId == u.Id && n.AccountId == account.Id && n.ReadAt == null))
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var admin in admins.Where(a => !a.IsDeactivated))
        {
            db.Notifications.Add(new Notification
            {
                UserId = admin.Id,
                AccountId = account.Id,
                Text = $"{owner}'s email account {account.Email} needs re-authentication: Mailroom cannot send from it or bring its replies in until {owner} signs in again.",
                CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        AccountsLog.AdminsTold(logger, account.Id, admins.Count);
    }
}
