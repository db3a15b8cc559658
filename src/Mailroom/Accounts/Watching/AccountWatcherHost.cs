using Microsoft.Extensions.Options;

namespace Mailroom.Accounts.Watching;

/// <summary>
/// Keeps one watcher running per connected mailbox whose lease this server holds (issue 11,
/// item 9): every <see cref="WatchOptions.RenewInterval"/> it renews its leases, stops the
/// watchers whose lease another server took, and claims free ones (new accounts, released ones,
/// those of a server that died and let its lease run out). Stopping, it releases its leases so
/// another server takes over at once rather than after the lease time.
/// </summary>
public sealed class AccountWatcherHost(WatchLeases leases, MailboxWatcher watcher, IOptions<WatchOptions> options, TimeProvider clock, ILogger<AccountWatcherHost> logger) : BackgroundService
{
    private readonly Dictionary<Guid, Running> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RoundAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    WatchLog.RoundFailed(logger, e);
                }
                await Task.Delay(options.Value.RenewInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            foreach (var running in _running.Values)
            {
                await running.Stop.CancelAsync();
            }
            await Task.WhenAll(_running.Values.Select(r => r.Task)).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            using var release = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await leases.ReleaseAsync(_running.Keys, release.Token);
            }
            catch (Exception e)
            {
                // Not released: the leases run out by themselves, and another server takes over then.
                WatchLog.RoundFailed(logger, e);
            }
            foreach (var running in _running.Values)
            {
                running.Stop.Dispose();
            }
            _running.Clear();
        }
    }

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        var held = await leases.RenewAsync(stoppingToken);
        var ended = new List<Guid>();
        foreach (var (accountId, running) in _running.ToList())
        {
            if (running.Task.IsCompleted)
            {
                // It stopped by itself (needs re-authentication, removed) or after its lease was lost:
                // released (if still ours) for whoever may watch it later.
                ended.Add(accountId);
                running.Stop.Dispose();
                _running.Remove(accountId);
            }
            else if (!held.Contains(accountId))
            {
                WatchLog.LeaseLost(logger, accountId);
                await running.Stop.CancelAsync();
            }
        }
        await leases.ReleaseAsync(ended, stoppingToken);
        foreach (var accountId in await leases.ClaimAsync(_running.Keys.ToHashSet(), stoppingToken))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _running[accountId] = new Running(RunAsync(accountId, stop.Token), stop);
        }
    }

    private async Task RunAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await watcher.RunAsync(accountId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            WatchLog.Failed(logger, e, accountId, options.Value.RenewInterval);
        }
    }

    private sealed record Running(Task Task, CancellationTokenSource Stop);
}
