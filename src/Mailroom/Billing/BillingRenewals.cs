using Mailroom.Notifications;
using Mailroom.People;
using Mailroom.Plans;
using Mailroom.Storage;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Billing;

/// <summary>
/// The end of a cycle: slots no mailbox was linked into are removed, the kept ones are charged
/// for the next cycle. A declined charge starts a grace period (the owners are told, the slots
/// kept, the charge retried once a day); unpaid at its end, the slots are removed.
/// The renewal charge covers the plan's own price for the next cycle (with a payment processor)
/// and the kept slots; a downgrade the owner chose takes effect first.
/// </summary>
public sealed class BillingRenewals(MailroomDb db, LedgerCharger charger, IPaymentProcessor processor, IOptions<BillingOptions> options,
    IOptions<PlanCatalogOptions> catalog, TimeProvider clock, ILogger<BillingRenewals> logger)
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromDays(1);

    /// <summary>Renews the workspace if its renewal day has come; returns the renewal's ledger line, or null when nothing was due or charged.</summary>
    public async Task<LedgerLine?> RenewIfDueAsync(CancellationToken cancellationToken = default)
    {
        var workspace = await db.Workspaces.AsNoTracking().OrderBy(w => w.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var account = workspace is null ? null : await db.BillingAccounts.FirstOrDefaultAsync(a => a.WorkspaceId == workspace.Id, cancellationToken);
        var now = clock.GetUtcNow();
        if (account is null || account.RenewsOn > DateOnly.FromDateTime(now.UtcDateTime))
        {
            return null;
        }
        var due = account.RenewsOn;
        var removed = 0;
        if (account.GraceEndsAt is { } graceEnds)
        {
            if (now >= graceEnds)
            {
                await EndGraceAsync(account, now, cancellationToken);
                return null;
            }
            if (account.LastRenewalAttemptAt is { } last && now - last < RetryEvery)
            {
                return null;
            }
        }
        else if (account.RenewalAttempts == 0)
        {
            await ApplyPendingPlanAsync(account, now, cancellationToken);
            await ApplyPendingCycleAsync(account, now, cancellationToken);
            removed = await RemoveEmptySlotsAsync(account, now, cancellationToken);
        }

        var line = await PendingAttemptAsync(account, cancellationToken) ?? await NewAttemptAsync(account, workspace!, now, cancellationToken);
        if (line is null)
        {
            Advance(account);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        var card = await db.PaymentMethods.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == account.WorkspaceId, cancellationToken);
        var deferred = await Unsettled(account.WorkspaceId).Select(l => l.Id).ToListAsync(cancellationToken);
        var settled = await charger.SettleAsync(line, account.ProcessorCustomerId, card, async () =>
        {
            await Unsettled(account.WorkspaceId).Where(l => deferred.Contains(l.Id)).ExecuteUpdateAsync(s => s.SetProperty(l => l.SettledByLineId, line.Id), cancellationToken);
            Advance(account);
        }, cancellationToken);
        if (settled.Outcome == LedgerOutcome.Declined && account.GraceEndsAt is null)
        {
            // Told once, when the grace period starts; the daily retries that follow stay quiet.
            account.GraceEndsAt = now + options.Value.GracePeriod;
            account.Version = Guid.NewGuid();
            await NotifyOwnersAsync($"The renewal of {settled.Description.Replace("Renewal: ", "")} ({Proration.Money(settled.AmountCents)}) was declined: {settled.DeclineMessage} "
                + $"The plan and the slots are kept until {account.GraceEndsAt:d MMM yyyy}; put another card on file on the Billing page before then, or the slots are removed and the workspace goes back to {catalog.Value.Resolve(catalog.Value.DefaultPlan).Name}.", now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        BillingLog.Renewed(logger, due, removed, settled.Quantity, settled.Outcome);
        return settled;
    }

    private async Task<int> RemoveEmptySlotsAsync(BillingAccount account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var empty = await db.AccountSlots.Where(s => s.WorkspaceId == account.WorkspaceId && s.MailAccountId == null).ToListAsync(cancellationToken);
        if (empty.Count == 0)
        {
            return 0;
        }
        db.AccountSlots.RemoveRange(empty);
        db.LedgerLines.Add(RemovalLine(account, now, empty.Count, $"{Slots(empty.Count)} with no email account linked, removed at renewal", "removed-empty"));
        account.Version = Guid.NewGuid();
        // The account's version makes a second instance renewing at the same moment fail here, not remove twice.
        await db.SaveChangesAsync(cancellationToken);
        return empty.Count;
    }

    /// <summary>A downgrade the owner chose during the cycle: the workspace is on the smaller plan from this renewal on (nothing is deleted).</summary>
    private async Task ApplyPendingPlanAsync(BillingAccount account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (account.PendingPlanId is not { } pendingId)
        {
            return;
        }
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == account.WorkspaceId, cancellationToken);
        var plan = catalog.Value.Find(pendingId);
        account.PendingPlanId = null;
        account.Version = Guid.NewGuid();
        if (plan is not null)
        {
            var from = catalog.Value.Resolve(workspace.PlanId);
            workspace.PlanId = plan.Id;
            db.LedgerLines.Add(PlanLine(account, now, plan, $"Plan: {from.Name} → {plan.Name}, at renewal", "plan"));
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The other cycle the owner chose: this renewal starts it, so it is charged for (and lasts) a whole cycle of it.</summary>
    private async Task ApplyPendingCycleAsync(BillingAccount account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (account.PendingCycle is not { } cycle)
        {
            return;
        }
        var from = account.Cycle;
        (account.Cycle, account.PendingCycle, account.Version) = (cycle, null, Guid.NewGuid());
        if (cycle != from)
        {
            db.LedgerLines.Add(new LedgerLine
            {
                WorkspaceId = account.WorkspaceId,
                At = now,
                Kind = LedgerKind.CycleChange,
                Outcome = LedgerOutcome.Recorded,
                Description = $"Billing cycle: {CycleChanges.Name(from)} → {CycleChanges.Name(cycle)}, at renewal",
                Currency = catalog.Value.Currency,
                Arithmetic = "nothing charged",
                IdempotencyKey = $"renewal:{account.RenewsOn:yyyy-MM-dd}:cycle",
                Cycle = cycle,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task EndGraceAsync(BillingAccount account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == account.WorkspaceId, cancellationToken);
        var fallback = catalog.Value.Resolve(catalog.Value.DefaultPlan);
        var unpaid = catalog.Value.Resolve(workspace.PlanId);
        if (processor.ChargesMoney && PlanChanges.Price(unpaid, account.Cycle) > 0 && unpaid.Id != fallback.Id && catalog.Value.PinnedPlan is null)
        {
            // The plan was not paid for the new cycle either: back to the default plan (nothing deleted).
            workspace.PlanId = fallback.Id;
            account.PendingPlanId = null;
            db.LedgerLines.Add(PlanLine(account, now, fallback, $"Plan: {unpaid.Name} → {fallback.Name}: the renewal stayed unpaid through the grace period", "plan-unpaid"));
            await NotifyOwnersAsync($"The renewal stayed unpaid, so the workspace is back on {fallback.Name}. The owner can choose a plan again on the Billing page once a card is on file.", now, cancellationToken);
        }
        var slots = await db.AccountSlots.Where(s => s.WorkspaceId == account.WorkspaceId).ToListAsync(cancellationToken);
        db.AccountSlots.RemoveRange(slots);
        if (slots.Count > 0)
        {
            db.LedgerLines.Add(RemovalLine(account, now, slots.Count, $"{Slots(slots.Count)} removed: the renewal stayed unpaid through the grace period", "removed-unpaid"));
            await NotifyOwnersAsync($"The renewal stayed unpaid, so {Slots(slots.Count)} were removed. Owners and admins can buy slots again once a card is on file.", now, cancellationToken);
        }
        BillingLog.GraceEnded(logger, account.RenewsOn, slots.Count);
        Advance(account);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A charge of this renewal that a crash or an unreachable processor left pending: retried with its own key, never a second one.</summary>
    private Task<LedgerLine?> PendingAttemptAsync(BillingAccount account, CancellationToken cancellationToken)
    {
        var key = AttemptKey(account.RenewsOn, account.RenewalAttempts);
        return db.LedgerLines.FirstOrDefaultAsync(l => l.WorkspaceId == account.WorkspaceId && l.IdempotencyKey == key && l.Outcome == LedgerOutcome.Pending, cancellationToken);
    }

    private async Task<LedgerLine?> NewAttemptAsync(BillingAccount account, Workspace workspace, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Read again: a downgrade applied just now changed it.
        var plan = catalog.Value.Resolve(await db.Workspaces.Where(w => w.Id == workspace.Id).Select(w => w.PlanId).SingleAsync(cancellationToken));
        var kept = await db.AccountSlots.CountAsync(s => s.WorkspaceId == account.WorkspaceId, cancellationToken);
        var carried = await Unsettled(account.WorkspaceId).SumAsync(l => l.AmountCents, cancellationToken);
        var price = BillingService.SlotPrice(plan, account.Cycle);
        // Without a payment processor the operator's configuration sets the plan: only slots are recorded.
        var planPrice = processor.ChargesMoney ? PlanChanges.Price(plan, account.Cycle) : 0;
        var amount = planPrice + kept * price + carried;
        if (amount == 0)
        {
            return null;
        }
        var next = Proration.Next(account.Cycle, account.RenewsOn, account.AnchorDay);
        var days = next.DayNumber - account.RenewsOn.DayNumber;
        account.RenewalAttempts++;
        account.LastRenewalAttemptAt = now;
        account.Version = Guid.NewGuid();
        var line = new LedgerLine
        {
            WorkspaceId = account.WorkspaceId,
            At = now,
            Kind = LedgerKind.Renewal,
            Outcome = LedgerOutcome.Pending,
            Description = $"Renewal: {(planPrice > 0 ? plan.Name + (kept > 0 ? " and " : "") : "")}{(kept > 0 || planPrice == 0 ? Slots(kept) : "")} from {account.RenewsOn:d MMM yyyy} to {next:d MMM yyyy}",
            Quantity = kept,
            UnitPriceCents = price,
            DaysLeft = days,
            DaysInCycle = days,
            AmountCents = amount,
            Currency = catalog.Value.Currency,
            PlanId = plan.Id,
            Arithmetic = (planPrice > 0 ? $"{plan.Name} {Proration.Money(planPrice)}" + (kept > 0 ? " + " : "") : "")
                + (kept > 0 || planPrice == 0 ? $"{kept} × {Proration.Money(price)} × {days}/{days} days" : "")
                + (carried > 0 ? $" + {Proration.Money(carried)} carried from purchases below the smallest charge" : "")
                + $" = {Proration.Money(amount)}",
            IdempotencyKey = AttemptKey(account.RenewsOn, account.RenewalAttempts),
        };
        db.LedgerLines.Add(line);
        await db.SaveChangesAsync(cancellationToken);
        return line;
    }

    private IQueryable<LedgerLine> Unsettled(Guid workspaceId) =>
        db.LedgerLines.Where(l => l.WorkspaceId == workspaceId && l.Outcome == LedgerOutcome.Deferred && l.SettledByLineId == null);

    private void Advance(BillingAccount account)
    {
        account.RenewsOn = Proration.Next(account.Cycle, account.RenewsOn, account.AnchorDay);
        (account.RenewalAttempts, account.GraceEndsAt, account.LastRenewalAttemptAt, account.Version) = (0, null, null, Guid.NewGuid());
    }

    private LedgerLine RemovalLine(BillingAccount account, DateTimeOffset now, int count, string description, string what) => new()
    {
        WorkspaceId = account.WorkspaceId,
        At = now,
        Kind = LedgerKind.SlotsRemoved,
        Outcome = LedgerOutcome.Recorded,
        Description = description,
        Quantity = count,
        Currency = catalog.Value.Currency,
        Arithmetic = "nothing charged",
        IdempotencyKey = $"renewal:{account.RenewsOn:yyyy-MM-dd}:{what}",
    };

    private LedgerLine PlanLine(BillingAccount account, DateTimeOffset now, Plan plan, string description, string what) => new()
    {
        WorkspaceId = account.WorkspaceId,
        At = now,
        Kind = LedgerKind.PlanChange,
        Outcome = LedgerOutcome.Recorded,
        Description = description,
        Currency = catalog.Value.Currency,
        Arithmetic = "nothing charged",
        IdempotencyKey = $"renewal:{account.RenewsOn:yyyy-MM-dd}:{what}",
        PlanId = plan.Id,
    };

    private async Task NotifyOwnersAsync(string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var owners = await db.Users.Where(u => u.Role == WorkspaceRole.Owner).Select(u => u.Id).ToListAsync(cancellationToken);
        foreach (var owner in owners)
        {
            db.Notifications.Add(new Notification { UserId = owner, Text = text, CreatedAt = now });
        }
    }

    private static string AttemptKey(DateOnly renewsOn, int attempt) => $"renewal:{renewsOn:yyyy-MM-dd}:{attempt}";

    private static string Slots(int n) => n == 1 ? "1 extra email account slot" : $"{n} extra email account slots";
}
