namespace Mailroom.Billing;

/// <summary>
/// An off-session charge of the workspace's card on file. The processor must treat two requests
/// with one <see cref="IdempotencyKey"/> as one charge.
/// </summary>
public sealed record ChargeRequest(string CustomerId, string PaymentMethodId, long AmountCents, string Currency, string Description, string IdempotencyKey);
