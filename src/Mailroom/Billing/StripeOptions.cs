namespace Mailroom.Billing;

public sealed class StripeOptions
{
    /// <summary>The secret API key (<c>sk_live_…</c>); keep it in the environment, not in appsettings.json.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Stripe's API address; tests point it at a local stand-in.</summary>
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>Stripe's smallest charge in the catalog's currency, in cents (50 for USD).</summary>
    public long MinimumChargeCents { get; set; } = 50;
}
