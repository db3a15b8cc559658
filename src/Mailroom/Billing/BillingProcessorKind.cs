namespace Mailroom.Billing;

public enum BillingProcessorKind
{
    /// <summary>No payment processor: slots are recorded, never charged (<see cref="LedgerOnlyProcessor"/>).</summary>
    None,
    Stripe,
}
