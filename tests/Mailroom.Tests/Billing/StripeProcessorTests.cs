using Mailroom.Billing;
using Mailroom.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Mailroom.Tests.Billing;

/// <summary>The Stripe processor, on the real Stripe.net client, against a loopback stand-in of Stripe's PaymentIntents.</summary>
public class StripeProcessorTests
{
    [Fact]
    public async Task Charge_OffSessionOnTheSavedCard_ReturnsThePaymentIntent()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        var result = await Processor(stripe).ChargeAsync(new ChargeRequest("cus_olivia", "pm_visa", 2013, "usd", "1 extra email account slot", "key-1"), CancellationToken.None);

        Assert.True(result.Succeeded);
        var charge = Assert.Single(stripe.Charges);
        Assert.Equal(result.ChargeId, charge.Id);
        Assert.StartsWith("pi_", charge.Id);
        Assert.Equal((2013L, "usd", "cus_olivia", "pm_visa", "key-1", true), (charge.Amount, charge.Currency, charge.Customer, charge.PaymentMethod, charge.IdempotencyKey, charge.OffSession));
    }

    [Fact]
    public async Task Decline_SaysStripesDeclineCodeAndMessage_AndChargesNothing()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        stripe.Declining["pm_empty"] = "insufficient_funds";
        var result = await Processor(stripe).ChargeAsync(new ChargeRequest("cus_olivia", "pm_empty", 2400, "usd", "Renewal", "key-2"), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Null(result.ChargeId);
        Assert.Equal(("insufficient_funds", "Your card has insufficient funds."), (result.DeclineCode, result.DeclineMessage));
        Assert.Empty(stripe.Charges);
    }

    [Fact]
    public async Task SameIdempotencyKey_Retried_IsChargedOnce_AndAnswersTheSameCharge()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        var processor = Processor(stripe);
        var request = new ChargeRequest("cus_olivia", "pm_visa", 700, "usd", "Slots", "key-3");

        var first = await processor.ChargeAsync(request, CancellationToken.None);
        var again = await processor.ChargeAsync(request, CancellationToken.None);
        var other = await processor.ChargeAsync(request with { IdempotencyKey = "key-4" }, CancellationToken.None);

        Assert.Equal(3, stripe.Requests);
        Assert.Equal(2, stripe.Charges.Count);
        Assert.Equal(first.ChargeId, again.ChargeId);
        Assert.NotEqual(first.ChargeId, other.ChargeId);
    }

    [Fact]
    public async Task WrongSecretKey_IsNotADecline_ButTheProcessorUnavailable()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        var processor = new StripeProcessor(Options.Create(new BillingOptions { Stripe = { SecretKey = "sk_test_wrong", ApiBase = stripe.BaseUrl } }));

        var failure = await Assert.ThrowsAsync<PaymentProcessorUnavailableException>(() =>
            processor.ChargeAsync(new ChargeRequest("cus_olivia", "pm_visa", 700, "usd", "Slots", "key-5"), CancellationToken.None));
        Assert.Contains("Invalid API Key provided", failure.Message);
        Assert.Empty(stripe.Charges);
    }

    private static StripeProcessor Processor(StripeStandIn stripe) =>
        new(Options.Create(new BillingOptions { Processor = BillingProcessorKind.Stripe, Stripe = { SecretKey = StripeStandIn.SecretKey, ApiBase = stripe.BaseUrl } }));
}
