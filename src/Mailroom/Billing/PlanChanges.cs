using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Permissions;
using Mailroom.Plans;
using Mailroom.Storage;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Billing;

/// <summary>What changing to a plan would do today: charged now (an upgrade, prorated) or at the renewal (a downgrade).</summary>
public sealed record PlanChangeQuote(Plan From, Plan To, bool IsUpgrade, DateOnly RenewsOn, long AmountCents, string Arithmetic, string Summary);

/// <summary>The plan after a change, the downgrade waiting for the renewal if any, and the ledger line it wrote.</summary>
public sealed record PlanChangeResult(string PlanId, string PlanName, string? PendingPlanId, LedgerLineView? Line, bool Replayed);

/// <summary>
/// The owner changes the plan through billing: an upgrade is charged at once for the rest of the
/// cycle, (new price − current price) × days left / days in cycle, rounded to the cent; a downgrade
/// waits for the renewal (nothing is deleted; the renewal applies it and charges the smaller plan).
/// On a server without a payment processor, or with a pinned plan, the operator's configuration
/// sets the plan and nobody changes it here.
/// </summary>
public sealed class PlanChanges(MailroomDb db, WorkspaceService workspaces, BillingService billing, BillingPermissions permissions,
    LedgerCharger charger, IPaymentProcessor processor, IOptions<PlanCatalogOptions> catalog, TimeProvider clock, ILogger<PlanChanges> logger)
{
    /// <summary>True when the operator's configuration decides the plan (no payment processor, or a pinned plan): no picker is shown.</summary>
    public bool SetByConfiguration => catalog.Value.PinnedPlan is not null || !processor.ChargesMoney; // as BillingView.PlanSetByConfiguration

    public bool MayChange(User actor) => !SetByConfiguration && permissions.MayChangePlan(actor);

    /// <summary>The plans of the catalog, smallest first.</summary>
    public IReadOnlyList<Plan> Catalog => catalog.Value.Catalog.OrderBy(p => p.Rank).ToList();

    /// <summary>Why the plan cannot be changed here, as a problem: the configuration's, then the owner's.</summary>
    public void RequireMayChange(User actor)
    {
        if (catalog.Value.PinnedPlan is { } pinned)
        {
            throw new AppProblem(StatusCodes.Status409Conflict, BillingProblems.PlanPinned,
                $"This server's configuration keeps the workspace on {pinned.Name} (Mailroom:Plans:Pinned): the plan cannot be changed here.");
        }
        if (!processor.ChargesMoney)
        {
            throw new AppProblem(StatusCodes.Status409Conflict, BillingProblems.PlanSetByConfiguration,
                "This server has no payment processor, so its operator sets the plan in the configuration (Mailroom:Plans:Pinned): ask them for another plan.");
        }
        permissions.RequireMayChangePlan(actor);
    }

    public async Task<PlanChangeQuote> QuoteAsync(string planId, CancellationToken cancellationToken = default)
    {
        var account = await billing.AccountAsync(cancellationToken);
        return Quote(await workspaces.CurrentPlanAsync(cancellationToken), Find(planId), account);
    }

    /// <summary>
    /// Changes the plan. The same <paramref name="idempotencyKey"/> sent again answers from the
    /// ledger (or finishes a charge a crash interrupted) and never charges twice.
    /// </summary>
    public async Task<PlanChangeResult> ChangeAsync(User actor, string planId, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        RequireMayChange(actor);
        var key = BillingService.RequireKey(idempotencyKey);
        var to = Find(planId);
        var account = await billing.AccountAsync(cancellationToken);
        if (await db.LedgerLines.FirstOrDefaultAsync(l => l.WorkspaceId == account.WorkspaceId && l.IdempotencyKey == key, cancellationToken) is { } earlier)
        {
            return await ReplayAsync(account, earlier, to, cancellationToken);
        }
        var from = await workspaces.CurrentPlanAsync(cancellationToken);
        var quote = Quote(from, to, account);
        var now = clock.GetUtcNow();
        if (to.Id == from.Id)
        {
            if (account.PendingPlanId is null)
            {
                return await ResultAsync(account, null, replayed: false, cancellationToken);
            }
            // Staying after all: the downgrade waiting for the renewal is dropped.
            var pending = catalog.Value.Find(account.PendingPlanId);
            account.PendingPlanId = null;
            account.Version = Guid.NewGuid();
            var kept = Recorded(account, actor, key, to, now, $"Plan: stays {to.Name}; the change to {pending?.Name ?? account.PendingPlanId} at renewal is cancelled");
            return await SaveRecordedAsync(account, kept, to, cancellationToken);
        }
        if (!quote.IsUpgrade)
        {
            account.PendingPlanId = to.Id;
            account.Version = Guid.NewGuid();
            var line = Recorded(account, actor, key, to, now, $"Plan: {from.Name} → {to.Name} from {account.RenewsOn:d MMM yyyy}, at renewal");
            return await SaveRecordedAsync(account, line, to, cancellationToken);
        }

        var card = await db.PaymentMethods.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == account.WorkspaceId, cancellationToken);
        if (quote.AmountCents > 0 && (card is null || account.ProcessorCustomerId is null))
        {
            throw AppProblem.Conflict(BillingProblems.NoCardOnFile,
                $"Put a card on file on the Billing page first: the upgrade to {to.Name} is charged to it ({Proration.Money(quote.AmountCents)} today).");
        }
        var charge = new LedgerLine
        {
            WorkspaceId = account.WorkspaceId,
            At = now,
            Kind = LedgerKind.PlanChange,
            Outcome = LedgerOutcome.Pending,
            Description = $"Plan: {from.Name} → {to.Name} until {account.RenewsOn:d MMM yyyy}",
            Quantity = 1,
            UnitPriceCents = Price(to, account.Cycle) - Price(from, account.Cycle),
            DaysLeft = Days(account).Left,
            DaysInCycle = Days(account).InCycle,
            AmountCents = quote.AmountCents,
            Currency = catalog.Value.Currency,
            Arithmetic = quote.Arithmetic,
            IdempotencyKey = key,
            UserId = actor.Id,
            PlanId = to.Id,
        };
        db.LedgerLines.Add(charge);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.Entry(charge).State = EntityState.Detached;
            var concurrent = await db.LedgerLines.AsNoTracking().FirstOrDefaultAsync(l => l.WorkspaceId == account.WorkspaceId && l.IdempotencyKey == key, cancellationToken)
                ?? throw new InvalidOperationException("The plan change's ledger line could not be written.");
            return await ReplayAsync(account, concurrent, to, cancellationToken);
        }
        return await SettleAsync(account, charge, card, replayed: false, cancellationToken);
    }

    private async Task<PlanChangeResult> ReplayAsync(BillingAccount account, LedgerLine earlier, Plan to, CancellationToken cancellationToken)
    {
        if (earlier.Kind != LedgerKind.PlanChange || !string.Equals(earlier.PlanId, to.Id, StringComparison.OrdinalIgnoreCase))
        {
            throw AppProblem.Conflict(BillingProblems.IdempotencyKeyReused,
                $"This Idempotency-Key was used for another request ({earlier.Description}): use a new key for a new change.");
        }
        if (earlier.Outcome == LedgerOutcome.Pending)
        {
            var card = await db.PaymentMethods.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == account.WorkspaceId, cancellationToken);
            return await SettleAsync(account, earlier, card, replayed: true, cancellationToken);
        }
        ThrowIfDeclined(earlier);
        return await ResultAsync(account, earlier, replayed: true, cancellationToken);
    }

    private async Task<PlanChangeResult> SettleAsync(BillingAccount account, LedgerLine line, PaymentMethodOnFile? card, bool replayed, CancellationToken cancellationToken)
    {
        LedgerLine settled;
        try
        {
            settled = await charger.SettleAsync(line, account.ProcessorCustomerId, card, async () =>
            {
                var workspace = await db.Workspaces.SingleAsync(w => w.Id == account.WorkspaceId, cancellationToken);
                workspace.PlanId = line.PlanId!;
                account.PendingPlanId = null;
                account.Version = Guid.NewGuid();
                if (catalog.Value.Find(line.PlanId!) is { } upgraded)
                {
                    await Outbound.EmailUses.TellHeldAuthorsAsync(db, upgraded, workspace.EmailUses, clock.GetUtcNow(), cancellationToken);
                }
            }, cancellationToken);
        }
        catch (PaymentProcessorUnavailableException)
        {
            throw new AppProblem(StatusCodes.Status502BadGateway, BillingProblems.ProcessorUnavailable,
                "The payment processor could not be reached, so the plan did not change yet. Try again with the same Idempotency-Key: it is never charged twice.");
        }
        BillingLog.PlanChanged(logger, settled.PlanId, settled.UserId, settled.Outcome, settled.AmountCents, settled.ProcessorChargeId);
        ThrowIfDeclined(settled);
        return await ResultAsync(account, settled, replayed, cancellationToken);
    }

    private static void ThrowIfDeclined(LedgerLine line)
    {
        if (line.Outcome == LedgerOutcome.Declined)
        {
            throw new AppProblem(StatusCodes.Status402PaymentRequired, BillingProblems.CardDeclined,
                $"The card was declined: {line.DeclineMessage} ({line.DeclineCode}). The plan did not change; put another card on file on the Billing page, then try again.")
            {
                Details = new Dictionary<string, object?> { ["declineCode"] = line.DeclineCode },
            };
        }
    }

    private async Task<PlanChangeResult> SaveRecordedAsync(BillingAccount account, LedgerLine line, Plan to, CancellationToken cancellationToken)
    {
        db.LedgerLines.Add(line);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same request, retried while the first was on its way: its line is the change.
            db.ChangeTracker.Clear();
            var fresh = await billing.AccountAsync(cancellationToken);
            var concurrent = await db.LedgerLines.AsNoTracking().FirstOrDefaultAsync(l => l.WorkspaceId == account.WorkspaceId && l.IdempotencyKey == line.IdempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException("The plan change's ledger line could not be written.");
            return await ReplayAsync(fresh, concurrent, to, cancellationToken);
        }
        BillingLog.PlanChanged(logger, line.PlanId, line.UserId, line.Outcome, 0, null);
        return await ResultAsync(account, line, replayed: false, cancellationToken);
    }

    private async Task<PlanChangeResult> ResultAsync(BillingAccount account, LedgerLine? line, bool replayed, CancellationToken cancellationToken)
    {
        var pending = await db.BillingAccounts.AsNoTracking().Where(a => a.WorkspaceId == account.WorkspaceId).Select(a => a.PendingPlanId).SingleAsync(cancellationToken);
        var plan = await workspaces.CurrentPlanAsync(cancellationToken);
        return new PlanChangeResult(plan.Id, plan.Name, pending, line is null ? null : LedgerLineView.Of(line), replayed);
    }

    private LedgerLine Recorded(BillingAccount account, User actor, string key, Plan to, DateTimeOffset now, string description) => new()
    {
        WorkspaceId = account.WorkspaceId,
        At = now,
        Kind = LedgerKind.PlanChange,
        Outcome = LedgerOutcome.Recorded,
        Description = description,
        Currency = catalog.Value.Currency,
        Arithmetic = "nothing charged now; the renewal charges the plan the workspace is on then",
        IdempotencyKey = key,
        UserId = actor.Id,
        PlanId = to.Id,
    };

    private PlanChangeQuote Quote(Plan from, Plan to, BillingAccount account)
    {
        var upgrade = to.Rank > from.Rank;
        if (!upgrade)
        {
            var summary = to.Id == from.Id
                ? $"The workspace is on {to.Name}."
                : $"{to.Name} starts at the renewal on {account.RenewsOn:d MMM yyyy}; until then the workspace keeps {from.Name}. Nothing is deleted; what {to.Name} does not include stops being allowed.";
            return new PlanChangeQuote(from, to, false, account.RenewsOn, 0, "nothing charged now", summary);
        }
        var (fromPrice, toPrice) = (Price(from, account.Cycle), Price(to, account.Cycle));
        var (left, inCycle) = Days(account);
        var amount = Proration.For(1, toPrice - fromPrice, account.Cycle, account.RenewsOn, Today()).AmountCents;
        var arithmetic = $"({Proration.Money(toPrice)} − {Proration.Money(fromPrice)}) × {left}/{inCycle} days = {Proration.Money(amount)}";
        var per = account.Cycle == BillingCycle.Yearly ? "year" : "month";
        return new PlanChangeQuote(from, to, true, account.RenewsOn, amount, arithmetic,
            $"{to.Name} starts now: {Proration.Money(amount)} today for the rest of the cycle ({arithmetic}), then {Proration.Money(toPrice)} a {per} from {account.RenewsOn:d MMM yyyy}.");
    }

    private (int Left, int InCycle) Days(BillingAccount account)
    {
        var proration = Proration.For(1, 0, account.Cycle, account.RenewsOn, Today());
        return (proration.DaysLeft, proration.DaysInCycle);
    }

    private Plan Find(string? planId) => catalog.Value.Find(planId ?? "")
        ?? throw AppProblem.Invalid(BillingProblems.UnknownPlan, $"There is no plan '{planId}'. Choose one of: {string.Join(", ", catalog.Value.Catalog.Select(p => p.Id))}.");

    /// <summary>A plan's own price for a whole cycle.</summary>
    public static long Price(Plan plan, BillingCycle cycle) =>
        cycle == BillingCycle.Yearly ? plan.Limits.PriceYearlyCents : plan.Limits.PriceMonthlyCents;

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
