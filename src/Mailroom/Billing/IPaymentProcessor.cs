namespace Mailroom.Billing;

/// <summary>
/// Who takes the money. Card numbers never pass through Mailroom: a card is entered on the
/// processor's own page or element, and Mailroom keeps only the processor's ids and the card's
/// brand, last four digits and expiry.
/// </summary>
public interface IPaymentProcessor
{
    /// <summary>Whether buying needs a card on file (false for a server that charges nothing).</summary>
    bool ChargesMoney { get; }

    /// <summary>The smallest amount the processor charges; a smaller prorated amount is added to the next renewal.</summary>
    long MinimumChargeCents { get; }

    /// <summary>Charges, or says why the card was declined. Throws <see cref="PaymentProcessorUnavailableException"/> when it cannot tell (network, keys).</summary>
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);
}
