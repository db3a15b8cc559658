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

    /// <summary>
    /// Starts putting a card on file on the processor's own hosted page: the browser goes to the
    /// returned URL and comes back to <paramref name="returnUrl"/> (with the session's id in place
    /// of <c>{CHECKOUT_SESSION_ID}</c>). Creates the processor's customer first when there is none.
    /// </summary>
    Task<CardSetupStart> StartCardSetupAsync(string? customerId, Guid workspaceId, string workspaceName, string currency, string returnUrl, string cancelUrl, CancellationToken cancellationToken);

    /// <summary>The card the hosted page saved; throws <see cref="CardSetupIncompleteException"/> when it did not (yet) end with one.</summary>
    Task<SavedCard> CompleteCardSetupAsync(string sessionId, Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>Detaches the card from the customer at the processor: it can no longer be charged.</summary>
    Task RemoveCardAsync(string paymentMethodId, CancellationToken cancellationToken);
}
