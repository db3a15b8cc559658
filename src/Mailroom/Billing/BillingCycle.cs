namespace Mailroom.Billing;

/// <summary>How often the workspace pays: the extra slots' price and the proration follow it.</summary>
public enum BillingCycle
{
    Monthly,
    Yearly,
}
