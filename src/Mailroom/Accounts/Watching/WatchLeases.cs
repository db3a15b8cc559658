using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Accounts.Watching;

/// <summary>
/// The watch leases, checkpoints and health of connected mailboxes, in the database. Every write
/// is a conditional UPDATE naming this server as the holder (as the inbound processor claims
/// messages), so that with several servers on one database one account has one watcher, and a
/// server that lost its lease cannot move another's checkpoint.
/// </summary>
public sealed class WatchLeases(IServiceScopeFactory scopes, WriteGate gate, AccountHealthNotifier notifier, IOptions<WatchOptions> options, IOptions<MailroomOptions> mailroom, TimeProvider clock)
{
    /// <summary>This server's id: the inbound processor's, kept in the data directory, so a restarted server takes its own leases back at once.</summary>
    public string HolderId { get; } = Inbound.InboundProcessor.InstanceId(mailroom.Value.FullDataDirectory);

    /// <summary>Renews every lease this server holds; returns the accounts it still holds.</summary>
    public async Task<HashSet<Guid>> RenewAsync(CancellationToken cancellationToken)
    {
        var until = Until();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.AccountWatches.Where(w => w.HolderId == HolderId)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseUntil, until), cancellationToken);
        }
        return (await db.AccountWatches.AsNoTracking().Where(w => w.HolderId == HolderId && w.LeaseUntil == until)
            .Select(w => w.AccountId).ToListAsync(cancellationToken)).ToHashSet();
    }

    /// <summary>
    /// Claims the leases of accounts to watch that nobody holds (new accounts, released ones, a dead
    /// server's expired ones), except <paramref name="running"/>; returns those it won.
    /// Accounts that need re-authentication are not watched: logging in again would only fail again.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ClaimAsync(IReadOnlySet<Guid> running, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        var watchable = db.MailAccounts.Where(a => a.Health != AccountHealth.NeedsReauthentication).Select(a => a.Id);
        var unwatched = await watchable.Where(id => !db.AccountWatches.Any(w => w.AccountId == id)).ToListAsync(cancellationToken);
        foreach (var id in unwatched)
        {
            db.AccountWatches.Add(new AccountWatch { AccountId = id });
            try
            {
                using (await gate.EnterAsync(cancellationToken))
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
            catch (DbUpdateException)
            {
                // Another server added it (or the account was removed) a moment ago: theirs wins.
            }
            db.ChangeTracker.Clear();
        }
        var free = await db.AccountWatches.AsNoTracking()
            .Where(w => watchable.Contains(w.AccountId) && (w.HolderId == null || w.LeaseUntil == null || w.LeaseUntil < now || w.HolderId == HolderId))
            .Select(w => w.AccountId)
            .ToListAsync(cancellationToken);
        var until = Until();
        var won = new List<Guid>();
        foreach (var id in free.Where(id => !running.Contains(id)))
        {
            int claimed;
            using (await gate.EnterAsync(cancellationToken))
            {
                claimed = await db.AccountWatches
                    .Where(w => w.AccountId == id && (w.HolderId == null || w.LeaseUntil == null || w.LeaseUntil < now || w.HolderId == HolderId))
                    .ExecuteUpdateAsync(s => s.SetProperty(w => w.HolderId, HolderId).SetProperty(w => w.LeaseUntil, until), cancellationToken);
            }
            if (claimed == 1)
            {
                won.Add(id);
            }
        }
        return won;
    }

    /// <summary>Gives a lease up (the watch ended, or the server stops), so another server may take it at once.</summary>
    public async Task ReleaseAsync(IEnumerable<Guid> accountIds, CancellationToken cancellationToken)
    {
        var ids = accountIds.ToList();
        if (ids.Count == 0)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.AccountWatches.Where(w => ids.Contains(w.AccountId) && w.HolderId == HolderId)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.HolderId, (string?)null).SetProperty(w => w.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        }
    }

    /// <summary>The checkpoint as stored, or null when this server no longer holds the lease.</summary>
    public async Task<AccountWatch?> LoadAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        return await db.AccountWatches.AsNoTracking().FirstOrDefaultAsync(w => w.AccountId == accountId && w.HolderId == HolderId, cancellationToken);
    }

    /// <summary>
    /// Moves the checkpoint to <paramref name="lastUid"/> of <paramref name="uidValidity"/>, after
    /// the rows of the messages up to it were committed. False when the lease was lost.
    /// </summary>
    public async Task<bool> AdvanceAsync(Guid accountId, long uidValidity, long lastUid, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        using (await gate.EnterAsync(cancellationToken))
        {
            return await db.AccountWatches.Where(w => w.AccountId == accountId && w.HolderId == HolderId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(w => w.UidValidity, uidValidity)
                    .SetProperty(w => w.LastUid, lastUid)
                    .SetProperty(w => w.LastSeenAt, now), cancellationToken) == 1;
        }
    }

    /// <summary>A login passed: the account is Active again and its failure counts start over.</summary>
    public async Task RecordConnectedAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.AccountWatches.Where(w => w.AccountId == accountId && w.HolderId == HolderId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(w => w.ConsecutiveAuthFailures, 0)
                    .SetProperty(w => w.ConsecutiveConnectFailures, 0)
                    .SetProperty(w => w.LastSeenAt, now), cancellationToken);
            await db.MailAccounts.Where(a => a.Id == accountId && (a.Health != AccountHealth.Active || a.LastErrorCode != null))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Health, AccountHealth.Active).SetProperty(a => a.LastErrorCode, (string?)null), cancellationToken);
        }
    }

    /// <summary>The server could not be reached (network, TLS, time-out): Cannot connect, never re-authentication. Returns the failures in a row.</summary>
    public async Task<int> RecordUnreachableAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.AccountWatches.Where(w => w.AccountId == accountId && w.HolderId == HolderId)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.ConsecutiveConnectFailures, w => w.ConsecutiveConnectFailures + 1), cancellationToken);
            // A network blip must not hide that the credentials were refused before it.
            await db.MailAccounts.Where(a => a.Id == accountId && a.Health != AccountHealth.NeedsReauthentication)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Health, AccountHealth.CannotConnect).SetProperty(a => a.LastErrorCode, AccountProblems.Unreachable), cancellationToken);
        }
        return await db.AccountWatches.AsNoTracking().Where(w => w.AccountId == accountId).Select(w => w.ConsecutiveConnectFailures).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The login was refused, also after the retry with fresh credentials: NEMAIL_002, and after
    /// <see cref="WatchOptions.AuthFailureThreshold"/> refusals in a row the account needs
    /// re-authentication: the workspace's other admins are told then, once, by the call that made
    /// it so (a later refusal, or another instance's, finds it already flipped and tells nobody).
    /// Returns the refusals in a row and whether that threshold was reached.
    /// </summary>
    public async Task<(int Failures, bool NeedsReauthentication)> RecordRefusedAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.AccountWatches.Where(w => w.AccountId == accountId && w.HolderId == HolderId)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.ConsecutiveAuthFailures, w => w.ConsecutiveAuthFailures + 1), cancellationToken);
        }
        return await CountRefusalAsync(db, accountId, cancellationToken);
    }

    /// <summary>
    /// The outbox's SMTP login was refused (also after its retry with fresh credentials): counted
    /// in a row with the watcher's refusals, towards the same <see cref="WatchOptions.AuthFailureThreshold"/>,
    /// with the same NEMAIL_002 and the same one notice. Any server may record it (sending needs no
    /// watch lease); the watch row is made when no watcher made it yet. Refusals from before a
    /// re-authentication (a count at the threshold on an account that is no longer flagged) start over.
    /// </summary>
    public async Task<(int Failures, bool NeedsReauthentication)> RecordSendRefusedAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var threshold = options.Value.AuthFailureThreshold;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        var flagged = await db.MailAccounts.AnyAsync(a => a.Id == accountId && a.Health == AccountHealth.NeedsReauthentication, cancellationToken);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            int counted;
            using (await gate.EnterAsync(cancellationToken))
            {
                counted = await db.AccountWatches.Where(w => w.AccountId == accountId)
                    .ExecuteUpdateAsync(s => s.SetProperty(w => w.ConsecutiveAuthFailures,
                        w => w.ConsecutiveAuthFailures >= threshold && !flagged ? 1 : w.ConsecutiveAuthFailures + 1), cancellationToken);
            }
            if (counted == 1 || attempt == 1)
            {
                break;
            }
            db.AccountWatches.Add(new AccountWatch { AccountId = accountId, ConsecutiveAuthFailures = 1 });
            try
            {
                using (await gate.EnterAsync(cancellationToken))
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                break;
            }
            catch (DbUpdateException)
            {
                // A watcher added the row a moment ago (counted again above), or the account was removed.
                db.ChangeTracker.Clear();
            }
        }
        return await CountRefusalAsync(db, accountId, cancellationToken);
    }

    /// <summary>
    /// The outbox logged in: the refusals in a row start over, and NEMAIL_002 is no longer the
    /// account's last word (unless it needs re-authentication: only signing in again clears that).
    /// </summary>
    public async Task RecordSendLoginAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.AccountWatches.Where(w => w.AccountId == accountId && w.ConsecutiveAuthFailures > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.ConsecutiveAuthFailures, 0), cancellationToken);
            await db.MailAccounts.Where(a => a.Id == accountId && a.Health != AccountHealth.NeedsReauthentication && a.LastErrorCode == AccountProblems.AuthenticationRefused)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastErrorCode, (string?)null), cancellationToken);
        }
    }

    /// <summary>A refusal just counted: NEMAIL_002 on the account, and at the threshold NeedsReauthentication with the admins told, once.</summary>
    private async Task<(int Failures, bool NeedsReauthentication)> CountRefusalAsync(MailroomDb db, Guid accountId, CancellationToken cancellationToken)
    {
        var failures = await db.AccountWatches.AsNoTracking().Where(w => w.AccountId == accountId).Select(w => w.ConsecutiveAuthFailures).FirstOrDefaultAsync(cancellationToken);
        var reauthenticate = failures >= options.Value.AuthFailureThreshold;
        var flipped = false;
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.MailAccounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.LastErrorCode, AccountProblems.AuthenticationRefused), cancellationToken);
            if (reauthenticate)
            {
                // Conditional, so exactly one caller sees the transition and tells the admins.
                flipped = await db.MailAccounts.Where(a => a.Id == accountId && a.Health != AccountHealth.NeedsReauthentication)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Health, AccountHealth.NeedsReauthentication), cancellationToken) == 1;
            }
        }
        if (flipped && await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken) is { } account)
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                await notifier.ReportAsync(db, account, cancellationToken);
            }
        }
        return (failures, reauthenticate);
    }

    /// <summary>
    /// A watch starting on an account that is watchable again (re-authenticated after it needed
    /// it): its old refusals no longer count, or the first new blip would flip it back.
    /// </summary>
    public async Task ForgetOldRefusalsAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        var threshold = options.Value.AuthFailureThreshold;
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.AccountWatches.Where(w => w.AccountId == accountId && w.HolderId == HolderId && w.ConsecutiveAuthFailures >= threshold)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.ConsecutiveAuthFailures, 0), cancellationToken);
        }
    }

    private DateTimeOffset Until()
    {
        // Whole milliseconds: both stores keep at least that, so the value read back compares equal.
        var until = clock.GetUtcNow() + options.Value.LeaseDuration;
        return until.AddTicks(-(until.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
