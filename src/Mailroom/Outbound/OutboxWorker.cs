using System.Collections.Concurrent;
using Mailroom.Hosting;
using Mailroom.Inbound;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Outbound;

/// <summary>
/// Sends what the outbox holds. Safe with several instances on one database: an email is claimed
/// by a conditional UPDATE (it is due, and nobody holds a live lease on it) that only one
/// instance's statement can win, with a nonce only that claim knows; only the claim holding it
/// records the outcome. Sleeps until the next email is due (a scheduled one leaves on time), and
/// wakes when one is queued here.
/// </summary>
public sealed class OutboxWorker(
    IServiceScopeFactory scopes, OutboxSignal signal, WriteGate gate, IOptions<OutboxOptions> options, IOptions<MailroomOptions> mailroom,
    TimeProvider clock, ILogger<OutboxWorker> logger) : BackgroundService
{
    private readonly string _owner = InboundProcessor.InstanceId(mailroom.Value.FullDataDirectory);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await ReleaseOwnClaimsAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        // Open while there is email to send: the next round's emails of an account leave over the sessions this one left open.
        await using var sessions = new SmtpSessions(options.Value.Concurrency);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.PollInterval;
            try
            {
                if (await RunOnceAsync(sessions, stoppingToken) >= options.Value.BatchSize)
                {
                    continue;
                }
                if (await NextDueAsync(stoppingToken) is { } due)
                {
                    var until = due - clock.GetUtcNow();
                    wait = until < wait ? until : wait;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                OutboundLog.RoundFailed(logger, e);
                wait = TimeSpan.FromSeconds(1);
            }
            // Nothing more due now. The sessions stay open a moment: the next email of a burst (a
            // member sending several, another server's queue) leaves over them; then they are closed,
            // so none is held open while the worker sleeps.
            var keep = options.Value.KeepSessionsOpen;
            if (sessions.Count > 0 && wait > keep)
            {
                if (await signal.WaitAsync(keep, clock, stoppingToken))
                {
                    continue;
                }
                await sessions.CloseAllAsync();
                wait -= keep;
            }
            await signal.WaitAsync(wait, clock, stoppingToken);
        }
    }

    /// <summary>Claims this instance held when it stopped are claimable again at once, not after their lease.</summary>
    private async Task ReleaseOwnClaimsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        var prefix = _owner + "/";
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.OutboundEmails.Where(e => e.Status == OutboundStatus.Sending && e.LeaseOwner != null && e.LeaseOwner.StartsWith(prefix))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        }
    }

    /// <summary>Claims the emails due now and sends them, a few at once; returns how many it claimed.</summary>
    public Task<int> RunOnceAsync(CancellationToken cancellationToken) => RunOnceAsync(null, cancellationToken);

    private async Task<int> RunOnceAsync(SmtpSessions? sessions, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        List<Guid> candidates;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            candidates = await Due(db, now).OrderBy(e => e.NextAttemptAt).Select(e => e.Id).Take(o.BatchSize).ToListAsync(cancellationToken);
            if (candidates.Count == 0)
            {
                return 0;
            }
            var claims = new List<(Guid Id, string Claim)>();
            var leaseUntil = now + o.LeaseDuration;
            using (await gate.EnterAsync(cancellationToken))
            {
                foreach (var id in candidates)
                {
                    var claim = $"{_owner}/{Guid.NewGuid():N}";
                    var won = await Due(db, now).Where(e => e.Id == id).ExecuteUpdateAsync(s => s
                        .SetProperty(e => e.Status, OutboundStatus.Sending)
                        .SetProperty(e => e.LeaseOwner, claim)
                        .SetProperty(e => e.LeaseUntil, leaseUntil)
                        .SetProperty(e => e.Attempts, e => e.Attempts + 1), cancellationToken);
                    if (won == 1)
                    {
                        claims.Add((id, claim));
                    }
                }
            }
            // A send may outlast its lease (a large file over a slow link, a slow server): while
            // it runs, its lease is renewed, so no other instance takes it for a dead one's.
            var inFlight = new ConcurrentDictionary<Guid, string>(claims.Select(c => KeyValuePair.Create(c.Id, c.Claim)));
            using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var renewal = RenewLeasesAsync(inFlight, renewing.Token);
            try
            {
                await Parallel.ForEachAsync(claims, new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = cancellationToken }, async (c, ct) =>
                {
                    await using var deliveryScope = scopes.CreateAsyncScope();
                    await deliveryScope.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverAsync(c.Id, c.Claim, sessions, ct);
                    inFlight.TryRemove(c.Id, out _);
                });
            }
            finally
            {
                await renewing.CancelAsync();
                await renewal;
            }
            return claims.Count;
        }
    }

    /// <summary>Every third of a lease, pushes the lease of each email still being sent by this round one lease further.</summary>
    private async Task RenewLeasesAsync(ConcurrentDictionary<Guid, string> inFlight, CancellationToken cancellationToken)
    {
        var lease = options.Value.LeaseDuration;
        try
        {
            while (true)
            {
                await Task.Delay(lease / 3, clock, cancellationToken);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
                foreach (var (id, claim) in inFlight)
                {
                    var until = clock.GetUtcNow() + lease;
                    using (await gate.EnterAsync(cancellationToken))
                    {
                        await db.OutboundEmails.Where(e => e.Id == id && e.LeaseOwner == claim && e.Status == OutboundStatus.Sending)
                            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseUntil, until), cancellationToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A renewal that fails leaves the lease to run out as before; the round goes on.
            OutboundLog.RoundFailed(logger, e);
        }
    }

    /// <summary>Due: scheduled or queued and its time has come, or claimed by a worker whose lease ran out (it died mid-send).</summary>
    private static IQueryable<OutboundEmail> Due(MailroomDb db, DateTimeOffset now) => db.OutboundEmails.Where(e =>
        ((e.Status == OutboundStatus.Scheduled || e.Status == OutboundStatus.Queued) && e.NextAttemptAt <= now)
        || (e.Status == OutboundStatus.Sending && (e.LeaseUntil == null || e.LeaseUntil < now)));

    private async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        var next = await db.OutboundEmails.Where(e => e.Status == OutboundStatus.Scheduled || e.Status == OutboundStatus.Queued)
            .OrderBy(e => e.NextAttemptAt).Select(e => (DateTimeOffset?)e.NextAttemptAt).FirstOrDefaultAsync(cancellationToken);
        var lease = await db.OutboundEmails.Where(e => e.Status == OutboundStatus.Sending && e.LeaseUntil != null)
            .OrderBy(e => e.LeaseUntil).Select(e => e.LeaseUntil).FirstOrDefaultAsync(cancellationToken);
        return next is null ? lease : lease is null || next < lease ? next : lease;
    }
}
