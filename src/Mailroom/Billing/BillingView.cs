namespace Mailroom.Billing;

/// <summary>What the Billing page shows: the plan, the cycle, the next renewal, the card on file (never its number), the slots and the ledger.</summary>
public sealed record BillingView(BillingCycle Cycle, DateOnly RenewsOn, DateTimeOffset? GraceEndsAt, bool ChargesMoney, string Currency,
    long SlotPriceCents, bool MayBuySlots, CardView? Card, int Slots, int FreeSlots, IReadOnlyList<LedgerLineView> Ledger)
{
    public string PlanId { get; init; } = "";
    public string PlanName { get; init; } = "";

    /// <summary>The plan's own price for the cycle.</summary>
    public long PlanPriceCents { get; init; }

    /// <summary>A downgrade waiting for <see cref="RenewsOn"/>.</summary>
    public string? PendingPlanId { get; init; }
    public string? PendingPlanName { get; init; }

    /// <summary>The other cycle the owner chose, starting at <see cref="RenewsOn"/>.</summary>
    public BillingCycle? PendingCycle { get; init; }

    /// <summary>True when the operator's configuration sets the plan (no payment processor, or a pinned plan): nobody changes it here.</summary>
    public bool PlanSetByConfiguration { get; init; }

    /// <summary>What one slot bought today costs until the renewal.</summary>
    public Proration? SlotToday { get; init; }

    /// <summary>When slots are locked: the sentence saying which plan unlocks them.</summary>
    public string? SlotsLockedReason { get; init; }
}

public sealed record CardView(string Brand, string Last4, int ExpiryMonth, int ExpiryYear);
