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
}
