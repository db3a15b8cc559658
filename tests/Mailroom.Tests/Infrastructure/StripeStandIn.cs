using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// Stripe's <c>POST /v1/payment_intents</c> on loopback, standing in for Stripe (which cannot be
/// reached here), as the real Stripe.net client talks to it: a bearer secret key, form fields,
/// <c>Idempotency-Key</c> replaying the first answer (success or decline) without charging again,
/// and cards that decline with Stripe's card_error body. It counts the charges it made.
/// </summary>
public sealed class StripeStandIn : IAsyncDisposable
{
    public const string SecretKey = "sk_test_stand_in_4242";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (int Status, string Json)> _answers = new();
    private readonly object _gate = new();

    private StripeStandIn(WebApplication app, int port)
    {
        _app = app;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    /// <summary>Payment methods that decline, with their decline_code (e.g. insufficient_funds).</summary>
    public ConcurrentDictionary<string, string> Declining { get; } = new();

    /// <summary>Every charge taken: who, how much, under which idempotency key.</summary>
    public List<Charge> Charges { get; } = [];

    /// <summary>Requests received, replays included.</summary>
    public int Requests;

    /// <summary>This many answers are lost after the work is done (the connection dropped): the charge is made, the client never hears of it.</summary>
    public int DropAnswers;

    public sealed record Charge(string Id, long Amount, string Currency, string Customer, string PaymentMethod, string? IdempotencyKey, bool OffSession);

    /// <summary>The settings pointing Mailroom's Stripe processor at this stand-in.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["Mailroom:Billing:Processor"] = "Stripe",
        ["Mailroom:Billing:Stripe:SecretKey"] = SecretKey,
        ["Mailroom:Billing:Stripe:ApiBase"] = BaseUrl,
    };

    public static async Task<StripeStandIn> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new StripeStandIn(app, port);
        app.MapPost("/v1/payment_intents", standIn.CreatePaymentIntentAsync);
        await app.StartAsync();
        return standIn;
    }

    private async Task<IResult> CreatePaymentIntentAsync(HttpRequest request)
    {
        Interlocked.Increment(ref Requests);
        if (request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            return Json(401, Error("invalid_request_error", null, null, "Invalid API Key provided."));
        }
        var form = await request.ReadFormAsync();
        var key = request.Headers["Idempotency-Key"].ToString();
        (int Status, string Json) answer;
        lock (_gate)
        {
            if (key.Length > 0 && _answers.TryGetValue(key, out var earlier))
            {
                answer = earlier;
            }
            else
            {
                answer = Answer(form, key);
                if (key.Length > 0)
                {
                    _answers[key] = answer;
                }
            }
        }
        if (Interlocked.Decrement(ref DropAnswers) >= 0)
        {
            request.HttpContext.Abort();
            return Results.Empty;
        }
        return Json(answer.Status, answer.Json);
    }

    private (int, string) Answer(IFormCollection form, string key)
    {
        if (form["confirm"] != "true" || !long.TryParse(form["amount"], out var amount) || string.IsNullOrEmpty(form["customer"]) || string.IsNullOrEmpty(form["payment_method"]))
        {
            return (400, Error("invalid_request_error", "parameter_missing", null, "amount, customer, payment_method and confirm=true are required."));
        }
        var paymentMethod = form["payment_method"].ToString();
        var id = "pi_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        if (Declining.TryGetValue(paymentMethod, out var declineCode))
        {
            return (402, Error("card_error", "card_declined", declineCode, "Your card has insufficient funds."));
        }
        Charges.Add(new Charge(id, amount, form["currency"].ToString(), form["customer"].ToString(), paymentMethod, key.Length > 0 ? key : null, form["off_session"] == "true"));
        var intent = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["currency"] = form["currency"].ToString(),
            ["customer"] = form["customer"].ToString(),
            ["payment_method"] = paymentMethod,
            ["status"] = "succeeded",
            ["latest_charge"] = "ch_" + id[3..],
            ["livemode"] = false,
        });
        return (200, intent);
    }

    private static string Error(string type, string? code, string? declineCode, string message) =>
        System.Text.Json.JsonSerializer.Serialize(new { error = new Dictionary<string, string?> { ["type"] = type, ["code"] = code, ["decline_code"] = declineCode, ["message"] = message } });

    private static IResult Json(int status, string json) => Results.Content(json, "application/json", statusCode: status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
