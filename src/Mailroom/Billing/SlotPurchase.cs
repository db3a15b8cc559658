namespace Mailroom.Billing;

/// <summary>The answer to a purchase: its ledger line, the slots the workspace now has, and whether this was a retry answered from the ledger.</summary>
public sealed record SlotPurchase(LedgerLineView Line, int Slots, bool Replayed);
