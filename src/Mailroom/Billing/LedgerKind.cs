namespace Mailroom.Billing;

public enum LedgerKind
{
    /// <summary>Extra account slots bought during a cycle, prorated to the renewal.</summary>
    SlotPurchase,

    /// <summary>The renewal charge for the slots kept.</summary>
    Renewal,

    /// <summary>Slots removed without a charge: empty at renewal, or the renewal left unpaid after the grace period.</summary>
    SlotsRemoved,

    /// <summary>The owner changed the plan: an upgrade charged prorated at once, a downgrade recorded for the renewal, or the renewal applying it.</summary>
    PlanChange,

    /// <summary>The owner changed how often the workspace pays: recorded when chosen, and again when the renewal starts the new cycle.</summary>
    CycleChange,
}
