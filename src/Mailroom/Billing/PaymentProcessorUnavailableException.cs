namespace Mailroom.Billing;

/// <summary>The processor could not be asked or did not answer: whether it charged is unknown, so the same idempotency key must be retried.</summary>
public sealed class PaymentProcessorUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
