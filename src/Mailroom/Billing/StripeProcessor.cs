using Microsoft.Extensions.Options;
using Stripe;

namespace Mailroom.Billing;

/// <summary>
/// Charges through Stripe's API with the Stripe.net client: one PaymentIntent per charge,
/// confirmed at once, off-session, on the customer's saved card, with Stripe's Idempotency-Key so
/// that a retried request is one charge at Stripe too.
/// </summary>
public sealed class StripeProcessor(IOptions<BillingOptions> options) : IPaymentProcessor
{
    private readonly StripeClient _client = new(apiKey: options.Value.Stripe.SecretKey, apiBase: options.Value.Stripe.ApiBase);

    public bool ChargesMoney => true;
    public long MinimumChargeCents => options.Value.Stripe.MinimumChargeCents;

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        var create = new PaymentIntentCreateOptions
        {
            Amount = request.AmountCents,
            Currency = request.Currency,
            Customer = request.CustomerId,
            PaymentMethod = request.PaymentMethodId,
            Confirm = true,
            OffSession = true,
            Description = request.Description,
        };
        try
        {
            var intent = await new PaymentIntentService(_client).CreateAsync(create, new RequestOptions { IdempotencyKey = request.IdempotencyKey }, cancellationToken);
            return intent.Status switch
            {
                "succeeded" => ChargeResult.Charged(intent.Id),
                // Off-session, nobody is there to pass 3-D Secure: the card's bank asked for it.
                "requires_action" => ChargeResult.Declined("authentication_required", "The card's bank asks the cardholder to confirm this payment, which cannot be done off-session: put the card on file again."),
                _ => ChargeResult.Declined(intent.Status, intent.LastPaymentError?.Message ?? $"Stripe left the payment {intent.Status}."),
            };
        }
        catch (StripeException e) when (e.StripeError is { Type: "card_error" } error)
        {
            return ChargeResult.Declined(error.DeclineCode ?? error.Code ?? "card_declined", error.Message ?? "The card was declined.");
        }
        catch (StripeException e)
        {
            throw new PaymentProcessorUnavailableException($"Stripe refused the request ({e.StripeError?.Type ?? e.HttpStatusCode.ToString()}): {e.StripeError?.Message ?? e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new PaymentProcessorUnavailableException("Stripe could not be reached: " + e.Message, e);
        }
    }
}
