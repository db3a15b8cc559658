namespace Mailroom.Billing;

/// <summary>What the Billing page shows: the cycle, the next renewal, the card on file (never its number), the slots and the ledger.</summary>
public sealed record BillingView(BillingCycle Cycle, DateOnly RenewsOn, DateTimeOffset? GraceEndsAt, bool ChargesMoney, string Currency,
    long SlotPriceCents, bool MayBuySlots, CardView? Card, int Slots, int FreeSlots, IReadOnlyList<LedgerLineView> Ledger);

public sealed record CardView(string Brand, string Last4, int ExpiryMonth, int ExpiryYear);
