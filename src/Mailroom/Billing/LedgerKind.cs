namespace Mailroom.Billing;

public enum LedgerKind
{
    /// <summary>Extra account slots bought during a cycle, prorated to the renewal.</summary>
    SlotPurchase,

    /// <summary>The renewal charge for the slots kept.</summary>
    Renewal,

    /// <summary>Slots removed without a charge: empty at renewal, or the renewal left unpaid after the grace period.</summary>
    SlotsRemoved,
}
