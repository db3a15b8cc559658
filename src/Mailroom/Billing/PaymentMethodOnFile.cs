namespace Mailroom.Billing;

/// <summary>
/// The card the workspace pays with, as the processor describes it: brand, last four digits and
/// expiry only. The card number never reaches Mailroom; the processor holds it behind
/// <see cref="ProcessorPaymentMethodId"/>.
/// </summary>
public sealed class PaymentMethodOnFile
{
    public Guid WorkspaceId { get; set; }
    public required string Brand { get; set; }
    public required string Last4 { get; set; }
    public int ExpiryMonth { get; set; }
    public int ExpiryYear { get; set; }

    /// <summary>The processor's id of the payment method (Stripe's <c>pm_…</c>).</summary>
    public required string ProcessorPaymentMethodId { get; set; }

    public DateTimeOffset AddedAt { get; set; }
}
