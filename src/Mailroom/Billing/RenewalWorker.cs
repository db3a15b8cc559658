using Microsoft.Extensions.Options;

namespace Mailroom.Billing;

/// <summary>Looks for a cycle to renew at every interval; safe with two instances (ledger keys and the account's version decide).</summary>
public sealed class RenewalWorker(IServiceScopeFactory scopes, IOptions<BillingOptions> options, TimeProvider clock, ILogger<RenewalWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<BillingRenewals>().RenewIfDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                BillingLog.RenewalCheckFailed(logger, e);
            }
            await Task.Delay(options.Value.RenewalCheckInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
