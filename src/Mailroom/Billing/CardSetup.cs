namespace Mailroom.Billing;

/// <summary>A card entry started at the processor: its hosted page (<see cref="Url"/>) takes the number; Mailroom never sees it.</summary>
public sealed record CardSetupStart(string CustomerId, string SessionId, string Url);

/// <summary>The card the processor saved, as Mailroom keeps it: the processor's ids, brand, last four digits and expiry.</summary>
public sealed record SavedCard(string CustomerId, string PaymentMethodId, string Brand, string Last4, int ExpiryMonth, int ExpiryYear);

/// <summary>The processor's hosted page did not end with a saved card (left open, abandoned, or another workspace's).</summary>
public sealed class CardSetupIncompleteException(string message) : Exception(message);
