namespace Mailroom.Billing;

/// <summary><c>Mailroom:Billing</c>: who takes the money, and how renewals that fail are handled.</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Mailroom:Billing";

    public BillingProcessorKind Processor { get; set; } = BillingProcessorKind.None;

    /// <summary>The cycle a workspace starts on, the first time billing is opened.</summary>
    public BillingCycle DefaultCycle { get; set; } = BillingCycle.Monthly;

    /// <summary>How long slots are kept after a renewal charge failed (retried once a day meanwhile).</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most slots one purchase buys: a typo of 1000 is refused, not charged.</summary>
    public int MaxSlotsPerPurchase { get; set; } = 100;

    /// <summary>How often the renewal worker looks for a cycle to renew.</summary>
    public TimeSpan RenewalCheckInterval { get; set; } = TimeSpan.FromHours(1);

    public StripeOptions Stripe { get; set; } = new();

    /// <summary>Why this configuration cannot run, or null.</summary>
    public string? Problem()
    {
        if (!Enum.IsDefined(Processor))
        {
            return $"Mailroom:Billing:Processor is '{Processor}': choose None or Stripe.";
        }
        if (Processor == BillingProcessorKind.Stripe && string.IsNullOrWhiteSpace(Stripe.SecretKey))
        {
            return "Mailroom:Billing:Processor is Stripe but Mailroom:Billing:Stripe:SecretKey is empty: set it (e.g. Mailroom__Billing__Stripe__SecretKey=sk_live_…).";
        }
        if (!Uri.TryCreate(Stripe.ApiBase, UriKind.Absolute, out _))
        {
            return $"Mailroom:Billing:Stripe:ApiBase is '{Stripe.ApiBase}', which is not an absolute address.";
        }
        if (GracePeriod < TimeSpan.Zero)
        {
            return $"Mailroom:Billing:GracePeriod is {GracePeriod}: it is 0 or more.";
        }
        if (MaxSlotsPerPurchase < 1)
        {
            return $"Mailroom:Billing:MaxSlotsPerPurchase is {MaxSlotsPerPurchase}: it is 1 or more.";
        }
        if (RenewalCheckInterval <= TimeSpan.Zero)
        {
            return $"Mailroom:Billing:RenewalCheckInterval is {RenewalCheckInterval}: it is more than 0.";
        }
        return null;
    }
}
