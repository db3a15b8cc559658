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

    /// <summary>A Checkout Session in setup mode: Stripe's hosted page takes the card and saves it for off-session charges.</summary>
    public async Task<CardSetupStart> StartCardSetupAsync(string? customerId, Guid workspaceId, string workspaceName, string currency, string returnUrl, string cancelUrl, CancellationToken cancellationToken)
    {
        return await CallAsync(async () =>
        {
            customerId ??= (await new CustomerService(_client).CreateAsync(new CustomerCreateOptions
            {
                Name = workspaceName,
                Description = "Mailroom workspace",
                Metadata = new Dictionary<string, string> { ["mailroom_workspace"] = workspaceId.ToString() },
            }, new RequestOptions { IdempotencyKey = $"mailroom-customer-{workspaceId:N}" }, cancellationToken)).Id;
            var session = await new Stripe.Checkout.SessionService(_client).CreateAsync(new Stripe.Checkout.SessionCreateOptions
            {
                Mode = "setup",
                Customer = customerId,
                Currency = currency,
                ClientReferenceId = workspaceId.ToString(),
                SuccessUrl = returnUrl,
                CancelUrl = cancelUrl,
            }, cancellationToken: cancellationToken);
            return new CardSetupStart(customerId, session.Id, session.Url);
        });
    }

    public async Task<SavedCard> CompleteCardSetupAsync(string sessionId, Guid workspaceId, CancellationToken cancellationToken)
    {
        return await CallAsync(async () =>
        {
            var session = await new Stripe.Checkout.SessionService(_client).GetAsync(sessionId, cancellationToken: cancellationToken);
            if (session.ClientReferenceId != workspaceId.ToString() || session.Mode != "setup")
            {
                throw new CardSetupIncompleteException("This card entry was not started from this workspace's Billing page.");
            }
            if (session.Status != "complete" || session.SetupIntentId is null)
            {
                throw new CardSetupIncompleteException("The card entry on Stripe's page was not finished: add the card again.");
            }
            var intent = await new SetupIntentService(_client).GetAsync(session.SetupIntentId, cancellationToken: cancellationToken);
            if (intent.Status != "succeeded" || intent.PaymentMethodId is null)
            {
                throw new CardSetupIncompleteException($"Stripe did not save the card ({intent.Status}): add it again, or try another card.");
            }
            var method = await new PaymentMethodService(_client).GetAsync(intent.PaymentMethodId, cancellationToken: cancellationToken);
            var card = method.Card ?? throw new CardSetupIncompleteException("Stripe saved a payment method that is not a card: add a card.");
            return new SavedCard(session.CustomerId, method.Id, card.Brand, card.Last4, (int)card.ExpMonth, (int)card.ExpYear);
        });
    }

    public Task RemoveCardAsync(string paymentMethodId, CancellationToken cancellationToken) =>
        CallAsync(async () => (await new PaymentMethodService(_client).DetachAsync(paymentMethodId, cancellationToken: cancellationToken)).Id);

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StripeException e) when (e.StripeError is { Type: "invalid_request_error", Code: "resource_missing" })
        {
            throw new CardSetupIncompleteException("Stripe does not know this card entry: add the card again.");
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
