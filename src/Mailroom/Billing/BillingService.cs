using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Permissions;
using Mailroom.Plans;
using Mailroom.Storage;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Billing;

/// <summary>The workspace's cycle, card on file, extra account slots and ledger; buying slots.</summary>
public sealed class BillingService(MailroomDb db, WorkspaceService workspaces, PlanGates gates, BillingPermissions permissions,
    LedgerCharger charger, IPaymentProcessor processor, IOptions<BillingOptions> options, IOptions<PlanCatalogOptions> catalog,
    TimeProvider clock, ILogger<BillingService> logger)
{
    public const int MaxIdempotencyKeyLength = 100;

    /// <summary>The workspace's billing account, opened on first use on the configured cycle, renewing one cycle from today.</summary>
    public async Task<BillingAccount> AccountAsync(CancellationToken cancellationToken = default)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        if (await db.BillingAccounts.FirstOrDefaultAsync(a => a.WorkspaceId == workspace.Id, cancellationToken) is { } account)
        {
            return account;
        }
        var today = Today();
        var cycle = options.Value.DefaultCycle;
        account = new BillingAccount { WorkspaceId = workspace.Id, Cycle = cycle, AnchorDay = today.Day, RenewsOn = Proration.Next(cycle, today, today.Day) };
        db.BillingAccounts.Add(account);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return account;
        }
        catch (DbUpdateException)
        {
            // Opened by a concurrent request: theirs is the account.
            db.Entry(account).State = EntityState.Detached;
            return await db.BillingAccounts.SingleAsync(a => a.WorkspaceId == workspace.Id, cancellationToken);
        }
    }

    /// <summary>The workspace's billing as its owners and admins see it; the ledger newest first.</summary>
    public async Task<BillingView> GetAsync(User actor, CancellationToken cancellationToken = default)
    {
        permissions.RequireMayManageBilling(actor);
        var account = await AccountAsync(cancellationToken);
        var plan = await workspaces.CurrentPlanAsync(cancellationToken);
        var card = await db.PaymentMethods.AsNoTracking().Where(p => p.WorkspaceId == account.WorkspaceId)
            .Select(p => new CardView(p.Brand, p.Last4, p.ExpiryMonth, p.ExpiryYear)).FirstOrDefaultAsync(cancellationToken);
        var slots = await db.AccountSlots.AsNoTracking().Where(s => s.WorkspaceId == account.WorkspaceId).Select(s => s.MailAccountId).ToListAsync(cancellationToken);
        var ledger = await db.LedgerLines.AsNoTracking().Where(l => l.WorkspaceId == account.WorkspaceId && l.Outcome != LedgerOutcome.Pending)
            .OrderByDescending(l => l.At).ThenByDescending(l => l.Id).Take(200).ToListAsync(cancellationToken);
        var slotsDecision = gates.May(plan, PlanFeature.ExtraAccountSlots);
        var pending = account.PendingPlanId is { } pendingId ? catalog.Value.Find(pendingId) : null;
        return new BillingView(account.Cycle, account.RenewsOn, account.GraceEndsAt, processor.ChargesMoney, catalog.Value.Currency,
            SlotPrice(plan, account.Cycle), slotsDecision.Allowed, card, slots.Count, slots.Count(s => s is null),
            ledger.Select(LedgerLineView.Of).ToList())
        {
            PlanId = plan.Id,
            PlanName = plan.Name,
            PlanPriceCents = PlanChanges.Price(plan, account.Cycle),
            PendingPlanId = pending?.Id,
            PendingPlanName = pending?.Name,
            PendingCycle = account.PendingCycle,
            PlanSetByConfiguration = catalog.Value.PinnedPlan is not null || !processor.ChargesMoney,
            SlotToday = slotsDecision.Allowed ? Proration.For(1, SlotPrice(plan, account.Cycle), account.Cycle, account.RenewsOn, Today()) : null,
            SlotsLockedReason = slotsDecision.Allowed ? null : slotsDecision.Message,
        };
    }

    /// <summary>
    /// Sets the cycle and its renewal day: for the plan change through billing, and for operators
    /// moving an existing customer over. The slots bought so far keep their place.
    /// </summary>
    public async Task<BillingAccount> StartCycleAsync(BillingCycle cycle, DateOnly renewsOn, CancellationToken cancellationToken = default)
    {
        var account = await AccountAsync(cancellationToken);
        (account.Cycle, account.PendingCycle, account.RenewsOn, account.AnchorDay, account.Version) = (cycle, null, renewsOn, renewsOn.Day, Guid.NewGuid());
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }

    /// <summary>
    /// Keeps the card the processor saved for the workspace's customer (after its hosted page or
    /// element took the number): only the processor's ids, brand, last four digits and expiry.
    /// </summary>
    public async Task<PaymentMethodOnFile> SavePaymentMethodAsync(string processorCustomerId, string processorPaymentMethodId, string brand, string last4,
        int expiryMonth, int expiryYear, CancellationToken cancellationToken = default)
    {
        if (last4.Length != 4 || !last4.All(char.IsAsciiDigit) || expiryMonth is < 1 or > 12)
        {
            throw AppProblem.Invalid("billing_invalid_card", "A card on file has its last four digits and an expiry month from 1 to 12.");
        }
        var account = await AccountAsync(cancellationToken);
        account.ProcessorCustomerId = processorCustomerId;
        var card = await db.PaymentMethods.FirstOrDefaultAsync(p => p.WorkspaceId == account.WorkspaceId, cancellationToken);
        if (card is null)
        {
            card = new PaymentMethodOnFile { WorkspaceId = account.WorkspaceId, Brand = brand, Last4 = last4, ProcessorPaymentMethodId = processorPaymentMethodId };
            db.PaymentMethods.Add(card);
        }
        (card.Brand, card.Last4, card.ExpiryMonth, card.ExpiryYear, card.ProcessorPaymentMethodId, card.AddedAt) =
            (brand, last4, expiryMonth, expiryYear, processorPaymentMethodId, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return card;
    }

    /// <summary>The request's Idempotency-Key, trimmed; refused when missing or too long.</summary>
    public static string RequireKey(string? idempotencyKey)
    {
        var key = idempotencyKey?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > MaxIdempotencyKeyLength)
        {
            throw AppProblem.Invalid(BillingProblems.IdempotencyKeyMissing,
                $"Send an Idempotency-Key header of 1 to {MaxIdempotencyKeyLength} characters (a new UUID per purchase or change), so that a retried request is never charged twice.");
        }
        return key;
    }

    /// <summary>What a slot costs for a whole cycle on the workspace's plan.</summary>
    public static long SlotPrice(Plan plan, BillingCycle cycle) =>
        cycle == BillingCycle.Yearly ? plan.Limits.ExtraSlotYearlyCents : plan.Limits.ExtraSlotMonthlyCents;

    /// <summary>
    /// Buys <paramref name="quantity"/> extra account slots, charged prorated to the renewal on the
    /// card on file. The same <paramref name="idempotencyKey"/> sent again answers from the ledger
    /// (or finishes a purchase a crash interrupted) and never charges twice.
    /// </summary>
    public async Task<SlotPurchase> BuySlotsAsync(User actor, int quantity, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        permissions.RequireMayManageBilling(actor);
        var key = RequireKey(idempotencyKey);
        var max = options.Value.MaxSlotsPerPurchase;
        if (quantity < 1 || quantity > max)
        {
            throw AppProblem.Invalid(BillingProblems.InvalidQuantity, $"Buy from 1 to {max} slots at once ({quantity} was asked).");
        }
        var account = await AccountAsync(cancellationToken);
        if (await FindAsync(account.WorkspaceId, key, cancellationToken) is { } earlier)
        {
            return await ReplayAsync(account, earlier, quantity, cancellationToken);
        }
        var plan = await workspaces.CurrentPlanAsync(cancellationToken);
        gates.May(plan, PlanFeature.ExtraAccountSlots).ThrowIfRefused();
        var card = await db.PaymentMethods.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == account.WorkspaceId, cancellationToken);
        if (processor.ChargesMoney && (card is null || account.ProcessorCustomerId is null))
        {
            throw AppProblem.Conflict(BillingProblems.NoCardOnFile, "Put a card on file on the Billing page first: extra email account slots are charged to it.");
        }

        var proration = Proration.For(quantity, SlotPrice(plan, account.Cycle), account.Cycle, account.RenewsOn, Today());
        var line = new LedgerLine
        {
            WorkspaceId = account.WorkspaceId,
            At = clock.GetUtcNow(),
            Kind = LedgerKind.SlotPurchase,
            Outcome = LedgerOutcome.Pending,
            Description = $"{quantity} extra email account slot{(quantity == 1 ? "" : "s")} until {account.RenewsOn:d MMM yyyy}",
            Quantity = quantity,
            UnitPriceCents = proration.UnitPriceCents,
            DaysLeft = proration.DaysLeft,
            DaysInCycle = proration.DaysInCycle,
            AmountCents = proration.AmountCents,
            Currency = catalog.Value.Currency,
            Arithmetic = proration.Arithmetic,
            IdempotencyKey = key,
            UserId = actor.Id,
        };
        db.LedgerLines.Add(line);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same request, retried while the first was still on its way: its line is the purchase.
            db.Entry(line).State = EntityState.Detached;
            var concurrent = await FindAsync(account.WorkspaceId, key, cancellationToken, untracked: true);
            if (concurrent is null)
            {
                throw;
            }
            return await ReplayAsync(account, concurrent, quantity, cancellationToken);
        }
        return await SettleAsync(account, line, card, replayed: false, cancellationToken);
    }

    /// <summary>Fills a free slot with a mailbox just linked; false when no slot is free (the plan's free accounts come first).</summary>
    public async Task<bool> LinkIntoFreeSlotAsync(Guid mailAccountId, CancellationToken cancellationToken = default)
    {
        var account = await AccountAsync(cancellationToken);
        var slot = await db.AccountSlots.Where(s => s.WorkspaceId == account.WorkspaceId && s.MailAccountId == null).OrderBy(s => s.PurchasedAt).FirstOrDefaultAsync(cancellationToken);
        if (slot is null)
        {
            return false;
        }
        slot.MailAccountId = mailAccountId;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public Task<int> SlotCountAsync(Guid workspaceId, CancellationToken cancellationToken = default) =>
        db.AccountSlots.CountAsync(s => s.WorkspaceId == workspaceId, cancellationToken);

    private async Task<SlotPurchase> ReplayAsync(BillingAccount account, LedgerLine earlier, int quantity, CancellationToken cancellationToken)
    {
        if (earlier.Kind != LedgerKind.SlotPurchase || earlier.Quantity != quantity)
        {
            throw AppProblem.Conflict(BillingProblems.IdempotencyKeyReused,
                $"This Idempotency-Key was used for another request ({earlier.Description}): use a new key for a new purchase.");
        }
        if (earlier.Outcome == LedgerOutcome.Pending)
        {
            var card = await db.PaymentMethods.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == account.WorkspaceId, cancellationToken);
            return await SettleAsync(account, earlier, card, replayed: true, cancellationToken);
        }
        return Answer(earlier, await SlotCountAsync(account.WorkspaceId, cancellationToken), replayed: true);
    }

    private async Task<SlotPurchase> SettleAsync(BillingAccount account, LedgerLine line, PaymentMethodOnFile? card, bool replayed, CancellationToken cancellationToken)
    {
        LedgerLine settled;
        try
        {
            settled = await charger.SettleAsync(line, account.ProcessorCustomerId, card, () =>
            {
                var at = clock.GetUtcNow();
                for (var i = 0; i < line.Quantity; i++)
                {
                    db.AccountSlots.Add(new AccountSlot { WorkspaceId = line.WorkspaceId, PurchaseLineId = line.Id, PurchasedAt = at });
                }
                return Task.CompletedTask;
            }, cancellationToken);
        }
        catch (PaymentProcessorUnavailableException)
        {
            throw new AppProblem(StatusCodes.Status502BadGateway, BillingProblems.ProcessorUnavailable,
                "The payment processor could not be reached, so no slot was bought yet. Try again with the same Idempotency-Key: it is never charged twice.");
        }
        BillingLog.SlotsBought(logger, settled.Quantity, settled.UserId, settled.Outcome, settled.AmountCents, settled.ProcessorChargeId);
        return Answer(settled, await SlotCountAsync(account.WorkspaceId, cancellationToken), replayed);
    }

    /// <summary>A declined line answers every retry of its key the same way, as the processor does.</summary>
    private static SlotPurchase Answer(LedgerLine line, int slots, bool replayed) => line.Outcome == LedgerOutcome.Declined
        ? throw new AppProblem(StatusCodes.Status402PaymentRequired, BillingProblems.CardDeclined,
            $"The card was declined: {line.DeclineMessage} ({line.DeclineCode}). No slot was added; put another card on file, then buy again.")
        {
            Details = new Dictionary<string, object?> { ["declineCode"] = line.DeclineCode },
        }
        : new SlotPurchase(LedgerLineView.Of(line), slots, replayed);

    private Task<LedgerLine?> FindAsync(Guid workspaceId, string key, CancellationToken cancellationToken, bool untracked = false)
    {
        var lines = untracked ? db.LedgerLines.AsNoTracking() : db.LedgerLines;
        return lines.FirstOrDefaultAsync(l => l.WorkspaceId == workspaceId && l.IdempotencyKey == key, cancellationToken);
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
