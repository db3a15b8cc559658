using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Permissions;
using Mailroom.Plans;
using Mailroom.Storage;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Billing;

/// <summary>What the workspace would pay once the other cycle starts, from the next renewal.</summary>
public sealed record CycleChangeQuote(BillingCycle From, BillingCycle To, DateOnly StartsOn, long PlanPriceCents, long SlotPriceCents, string Summary);

/// <summary>The cycle after a change, the one waiting for the renewal if any, and the ledger line it wrote.</summary>
public sealed record CycleChangeResult(BillingCycle Cycle, BillingCycle? PendingCycle, DateOnly RenewsOn, LedgerLineView? Line, bool Replayed);

/// <summary>
/// The owner chooses how often the workspace pays. The current cycle is paid for already, so a
/// change never charges or refunds anything when it is chosen: it is recorded in the ledger and
/// the next renewal starts the new cycle, charged for a whole cycle of it (the plan's price and
/// the slots kept, at that cycle's prices). Choosing the current cycle again cancels the change.
/// Without a payment processor the operator's <c>Billing:DefaultCycle</c> decides.
/// </summary>
public sealed class CycleChanges(MailroomDb db, WorkspaceService workspaces, BillingService billing, BillingPermissions permissions,
    IPaymentProcessor processor, IOptions<PlanCatalogOptions> catalog, TimeProvider clock, ILogger<CycleChanges> logger)
{
    /// <summary>True when the actor may change the cycle here (an owner, on a server that charges money).</summary>
    public bool MayChange(User actor) => processor.ChargesMoney && permissions.MayChangeCycle(actor);

    public void RequireMayChange(User actor)
    {
        if (!processor.ChargesMoney)
        {
            throw new AppProblem(StatusCodes.Status409Conflict, BillingProblems.CycleSetByConfiguration,
                "This server has no payment processor, so its operator sets the billing cycle in the configuration (Mailroom:Billing:DefaultCycle).");
        }
        permissions.RequireMayChangeCycle(actor);
    }

    /// <summary>"monthly" or "yearly", whatever the case; anything else is a clear problem.</summary>
    public static BillingCycle Parse(string? cycle) =>
        Enum.GetValues<BillingCycle>().Where(c => string.Equals(c.ToString(), cycle?.Trim(), StringComparison.OrdinalIgnoreCase)).Cast<BillingCycle?>().FirstOrDefault()
            ?? throw AppProblem.Invalid(BillingProblems.UnknownCycle, $"There is no billing cycle '{Shown(cycle)}'. Choose monthly or yearly.");

    /// <summary>The value as the refusal quotes it: short and on one line, whatever was sent.</summary>
    private static string Shown(string? value) =>
        value is null ? "" : new string(value.Take(40).Select(c => char.IsControl(c) ? ' ' : c).ToArray());

    /// <summary>What paying on <paramref name="to"/> would cost from the next renewal, on the plan the workspace will be on then.</summary>
    public async Task<CycleChangeQuote> QuoteAsync(BillingCycle to, CancellationToken cancellationToken = default)
    {
        var account = await billing.AccountAsync(cancellationToken);
        return Quote(account, await PlanAtRenewalAsync(account, cancellationToken), to);
    }

    /// <summary>
    /// Chooses the cycle the next renewal starts. The same <paramref name="idempotencyKey"/> sent
    /// again answers from the ledger; a key used for another request is refused.
    /// </summary>
    public async Task<CycleChangeResult> ChangeAsync(User actor, string? cycle, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        RequireMayChange(actor);
        var key = BillingService.RequireKey(idempotencyKey);
        var to = Parse(cycle);
        var account = await billing.AccountAsync(cancellationToken);
        if (await db.LedgerLines.AsNoTracking().FirstOrDefaultAsync(l => l.WorkspaceId == account.WorkspaceId && l.IdempotencyKey == key, cancellationToken) is { } earlier)
        {
            return Replay(account, earlier, to);
        }
        if (account.GraceEndsAt is not null)
        {
            throw AppProblem.Conflict(BillingProblems.CycleDuringGrace,
                $"The renewal of {account.RenewsOn:d MMM yyyy} is unpaid: put another card on file first. Once the renewal is paid, the cycle can be changed for the one after it.");
        }
        var now = clock.GetUtcNow();
        string description;
        if (to == account.Cycle)
        {
            if (account.PendingCycle is not { } pending)
            {
                return Result(account, null, replayed: false);
            }
            description = $"Billing cycle: stays {Name(to)}; the change to {Name(pending)} billing on {account.RenewsOn:d MMM yyyy} is cancelled";
            account.PendingCycle = null;
        }
        else
        {
            description = $"Billing cycle: {Name(account.Cycle)} → {Name(to)} from the renewal on {account.RenewsOn:d MMM yyyy}";
            account.PendingCycle = to;
        }
        account.Version = Guid.NewGuid();
        var line = new LedgerLine
        {
            WorkspaceId = account.WorkspaceId,
            At = now,
            Kind = LedgerKind.CycleChange,
            Outcome = LedgerOutcome.Recorded,
            Description = description,
            Currency = catalog.Value.Currency,
            Arithmetic = "nothing charged now; the renewal charges a whole cycle at its prices",
            IdempotencyKey = key,
            UserId = actor.Id,
            Cycle = to,
        };
        db.LedgerLines.Add(line);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same request retried while the first was on its way (its line holds the key), or a
            // renewal that moved the account meanwhile (its version): answer from what is there now.
            db.ChangeTracker.Clear();
            var fresh = await billing.AccountAsync(cancellationToken);
            if (await db.LedgerLines.AsNoTracking().FirstOrDefaultAsync(l => l.WorkspaceId == fresh.WorkspaceId && l.IdempotencyKey == key, cancellationToken) is { } concurrent)
            {
                return Replay(fresh, concurrent, to);
            }
            throw AppProblem.Conflict(BillingProblems.RequestInProgress, "The billing account changed while this request was made (a renewal ran): look at the Billing page again, then choose the cycle.");
        }
        BillingLog.CycleChanged(logger, to, actor.Id, account.RenewsOn);
        return Result(account, line, replayed: false);
    }

    private static CycleChangeResult Replay(BillingAccount account, LedgerLine earlier, BillingCycle to)
    {
        if (earlier.Kind != LedgerKind.CycleChange || earlier.Cycle != to)
        {
            throw AppProblem.Conflict(BillingProblems.IdempotencyKeyReused,
                $"This Idempotency-Key was used for another request ({earlier.Description}): use a new key for a new change.");
        }
        return Result(account, earlier, replayed: true);
    }

    private static CycleChangeResult Result(BillingAccount account, LedgerLine? line, bool replayed) =>
        new(account.Cycle, account.PendingCycle, account.RenewsOn, line is null ? null : LedgerLineView.Of(line), replayed);

    private async Task<Plan> PlanAtRenewalAsync(BillingAccount account, CancellationToken cancellationToken) =>
        account.PendingPlanId is { } pending && catalog.Value.Find(pending) is { } plan ? plan : await workspaces.CurrentPlanAsync(cancellationToken);

    private static CycleChangeQuote Quote(BillingAccount account, Plan plan, BillingCycle to)
    {
        var (planPrice, slotPrice) = (PlanChanges.Price(plan, to), BillingService.SlotPrice(plan, to));
        var per = to == BillingCycle.Yearly ? "year" : "month";
        var planPart = planPrice == 0 ? $"{plan.Name} stays free" : $"{plan.Name} is {Proration.Money(planPrice)} a {per}";
        var yearlySaving = 12 * PlanChanges.Price(plan, BillingCycle.Monthly) - PlanChanges.Price(plan, BillingCycle.Yearly);
        var saving = to == BillingCycle.Yearly && yearlySaving > 0 ? $" (saving {Proration.Money(yearlySaving)} a year on the plan)" : "";
        var summary = to == account.Cycle
            ? $"The workspace pays {Name(to)}."
            : $"From the renewal on {account.RenewsOn:d MMM yyyy} the workspace pays {Name(to)}: {planPart}{saving}, and each extra email account slot kept {Proration.Money(slotPrice)} a {per}. "
                + "Nothing is charged or refunded now: the current cycle is paid for already.";
        return new CycleChangeQuote(account.Cycle, to, account.RenewsOn, planPrice, slotPrice, summary);
    }

    /// <summary>"monthly" or "yearly", as a sentence says it.</summary>
    public static string Name(BillingCycle cycle) => cycle == BillingCycle.Yearly ? "yearly" : "monthly";
}
