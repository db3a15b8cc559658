namespace Mailroom.Billing;

/// <summary>
/// For a server without billing (self-hosted, <c>Mailroom:Billing:Processor</c> = <c>None</c>):
/// nobody is charged and no card is needed. Owners and admins still buy slots the same way, within
/// what the plan allows, and the ledger records each with the prorated price it would have cost
/// and an amount of 0, so the operator sees what is used.
/// </summary>
public sealed class LedgerOnlyProcessor : IPaymentProcessor
{
    public bool ChargesMoney => false;
    public long MinimumChargeCents => 0;

    public Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A server without a payment processor charges nothing; the ledger records the line instead.");

    public Task<CardSetupStart> StartCardSetupAsync(string? customerId, Guid workspaceId, string workspaceName, string currency, string returnUrl, string cancelUrl, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A server without a payment processor needs no card.");

    public Task<SavedCard> CompleteCardSetupAsync(string sessionId, Guid workspaceId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A server without a payment processor needs no card.");

    public Task RemoveCardAsync(string paymentMethodId, CancellationToken cancellationToken) => Task.CompletedTask;
}
