using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// The few Stripe endpoints Mailroom uses, on loopback, standing in for Stripe (which cannot be
/// reached here), as the real Stripe.net client talks to them: a bearer secret key, form fields,
/// <c>Idempotency-Key</c> replaying the first answer (success or decline) without charging again,
/// and cards that decline with Stripe's card_error body. It counts the charges it made.
/// For putting a card on file: customers, Checkout Sessions in setup mode with a tiny hosted
/// page (<c>/pay/{session}</c>, an HTML form of test cards the browser submits, then redirected
/// to the session's success URL), SetupIntents, payment methods and their detach.
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

    /// <summary>The test cards of the hosted page: number, brand, and what happens (null: works; "setup": declined on the page; else the decline code of every charge).</summary>
    public static readonly (string Number, string Brand, string? Declines, string Label)[] TestCards =
    [
        ("4242424242424242", "visa", null, "Visa •••• 4242 — works"),
        ("5555555555554444", "mastercard", null, "Mastercard •••• 4444 — works"),
        ("4000000000009995", "visa", "insufficient_funds", "Visa •••• 9995 — saved, but every charge is declined (insufficient funds)"),
        ("4000000000000002", "visa", "setup", "Visa •••• 0002 — declined here, not saved"),
    ];

    /// <summary>Payment methods saved through the hosted page (or added by a test), by id.</summary>
    public ConcurrentDictionary<string, PaymentMethod> PaymentMethods { get; } = new();

    /// <summary>Checkout Sessions created, by id.</summary>
    public ConcurrentDictionary<string, Session> Sessions { get; } = new();

    /// <summary>Customers created (id → name).</summary>
    public ConcurrentDictionary<string, string> Customers { get; } = new();

    public sealed record PaymentMethod(string Id, string Brand, string Last4, int ExpMonth, int ExpYear, string? Customer)
    {
        public bool Detached { get; set; }
    }

    public sealed class Session
    {
        public required string Id { get; init; }
        public required string Customer { get; init; }
        public required string SuccessUrl { get; init; }
        public required string CancelUrl { get; init; }
        public string? ClientReferenceId { get; init; }
        public required string SetupIntent { get; init; }
        public string Status { get; set; } = "open";
        public string? PaymentMethod { get; set; }
    }

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
        app.MapPost("/v1/customers", (HttpRequest r) => standIn.PostAsync(r, standIn.CreateCustomer));
        app.MapPost("/v1/checkout/sessions", (HttpRequest r) => standIn.PostAsync(r, standIn.CreateSession));
        app.MapGet("/v1/checkout/sessions/{id}", (HttpRequest r, string id) => standIn.Get(r, () => standIn.Sessions.TryGetValue(id, out var s) ? standIn.SessionJson(s) : null));
        app.MapGet("/v1/setup_intents/{id}", (HttpRequest r, string id) => standIn.Get(r, () => standIn.SetupIntentJson(id)));
        app.MapGet("/v1/payment_methods/{id}", (HttpRequest r, string id) => standIn.Get(r, () => standIn.PaymentMethods.TryGetValue(id, out var pm) ? PaymentMethodJson(pm) : null));
        app.MapPost("/v1/payment_methods/{id}/detach", (HttpRequest r, string id) => standIn.PostAsync(r, _ => standIn.Detach(id)));
        app.MapGet("/pay/{id}", (string id) => standIn.HostedPage(id, null));
        app.MapPost("/pay/{id}", standIn.SubmitHostedPageAsync);
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

    /// <summary>A POST the way Stripe answers it: key checked, form read, the first answer of an Idempotency-Key replayed.</summary>
    private async Task<IResult> PostAsync(HttpRequest request, Func<IFormCollection, (int, string)> answer)
    {
        Interlocked.Increment(ref Requests);
        if (request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            return Json(401, Error("invalid_request_error", null, null, "Invalid API Key provided."));
        }
        var form = await request.ReadFormAsync();
        var key = request.Headers["Idempotency-Key"].ToString();
        lock (_gate)
        {
            if (key.Length > 0 && _answers.TryGetValue(request.Path + key, out var earlier))
            {
                return Json(earlier.Status, earlier.Json);
            }
            var made = answer(form);
            if (key.Length > 0)
            {
                _answers[request.Path + key] = made;
            }
            return Json(made.Item1, made.Item2);
        }
    }

    private IResult Get(HttpRequest request, Func<string?> find)
    {
        Interlocked.Increment(ref Requests);
        if (request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            return Json(401, Error("invalid_request_error", null, null, "Invalid API Key provided."));
        }
        return find() is { } json ? Json(200, json) : Json(404, Error("invalid_request_error", "resource_missing", null, "No such object."));
    }

    private (int, string) CreateCustomer(IFormCollection form)
    {
        var id = NewId("cus");
        Customers[id] = form["name"].ToString();
        return (200, Serialize(new Dictionary<string, object?> { ["id"] = id, ["object"] = "customer", ["name"] = form["name"].ToString(), ["livemode"] = false }));
    }

    private (int, string) CreateSession(IFormCollection form)
    {
        if (form["mode"] != "setup" || string.IsNullOrEmpty(form["customer"]) || string.IsNullOrEmpty(form["success_url"]) || string.IsNullOrEmpty(form["currency"]))
        {
            return (400, Error("invalid_request_error", "parameter_missing", null, "mode=setup, customer, currency and success_url are required here."));
        }
        var session = new Session
        {
            Id = NewId("cs_test"),
            Customer = form["customer"].ToString(),
            SuccessUrl = form["success_url"].ToString(),
            CancelUrl = form["cancel_url"].ToString(),
            ClientReferenceId = form["client_reference_id"].ToString() is { Length: > 0 } reference ? reference : null,
            SetupIntent = NewId("seti"),
        };
        Sessions[session.Id] = session;
        return (200, SessionJson(session));
    }

    private (int, string) Detach(string id)
    {
        if (!PaymentMethods.TryGetValue(id, out var pm))
        {
            return (404, Error("invalid_request_error", "resource_missing", null, "No such PaymentMethod."));
        }
        pm.Detached = true;
        return (200, PaymentMethodJson(pm with { Customer = null }));
    }

    private string SessionJson(Session s) => Serialize(new Dictionary<string, object?>
    {
        ["id"] = s.Id,
        ["object"] = "checkout.session",
        ["mode"] = "setup",
        ["customer"] = s.Customer,
        ["client_reference_id"] = s.ClientReferenceId,
        ["status"] = s.Status,
        ["setup_intent"] = s.SetupIntent,
        ["success_url"] = s.SuccessUrl,
        ["cancel_url"] = s.CancelUrl,
        ["url"] = s.Status == "open" ? $"{BaseUrl}/pay/{s.Id}" : null,
        ["livemode"] = false,
    });

    private string? SetupIntentJson(string id)
    {
        var session = Sessions.Values.FirstOrDefault(s => s.SetupIntent == id);
        return session is null ? null : Serialize(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["object"] = "setup_intent",
            ["customer"] = session.Customer,
            ["payment_method"] = session.PaymentMethod,
            ["status"] = session.PaymentMethod is null ? "requires_payment_method" : "succeeded",
            ["usage"] = "off_session",
            ["livemode"] = false,
        });
    }

    private static string PaymentMethodJson(PaymentMethod pm) => Serialize(new Dictionary<string, object?>
    {
        ["id"] = pm.Id,
        ["object"] = "payment_method",
        ["type"] = "card",
        ["customer"] = pm.Detached ? null : pm.Customer,
        ["card"] = new Dictionary<string, object?> { ["brand"] = pm.Brand, ["last4"] = pm.Last4, ["exp_month"] = pm.ExpMonth, ["exp_year"] = pm.ExpYear },
        ["livemode"] = false,
    });

    /// <summary>Stripe's hosted page, tiny: pick a test card, submit; a card declined here says so and stays on the page.</summary>
    private IResult HostedPage(string id, string? error)
    {
        if (!Sessions.TryGetValue(id, out var session) || session.Status != "open")
        {
            return Results.Content("<!doctype html><title>Expired</title><p>This page has expired.</p>", "text/html", statusCode: 404);
        }
        var cards = string.Join("", TestCards.Select((c, i) =>
            $"<label><input type=\"radio\" name=\"card\" value=\"{c.Number}\"{(i == 0 ? " checked" : "")}> {System.Net.WebUtility.HtmlEncode(c.Label)}</label><br>"));
        var html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe stand-in · Save a card</title>
            <meta name="viewport" content="width=device-width"></head><body style="font-family: sans-serif; max-width: 32rem; margin: 2rem auto">
            <h1>Save a card for {System.Net.WebUtility.HtmlEncode(Customers.GetValueOrDefault(session.Customer, session.Customer))}</h1>
            {(error is null ? "" : $"<p role='alert' style='color: #b00'>{System.Net.WebUtility.HtmlEncode(error)}</p>")}
            <form method="post"><fieldset><legend>Test card</legend>{cards}</fieldset>
            <p><label>Expiry <input name="exp" value="12/30" size="5"></label></p>
            <p><button type="submit">Save card</button> <a href="{System.Net.WebUtility.HtmlEncode(session.CancelUrl)}">Cancel</a></p></form></body></html>
            """;
        return Results.Content(html, "text/html");
    }

    private async Task<IResult> SubmitHostedPageAsync(HttpRequest request, string id)
    {
        var form = await request.ReadFormAsync();
        if (!Sessions.TryGetValue(id, out var session) || session.Status != "open")
        {
            return HostedPage(id, null);
        }
        var card = TestCards.FirstOrDefault(c => c.Number == form["card"].ToString());
        if (card.Number is null)
        {
            return HostedPage(id, "Choose a test card.");
        }
        if (card.Declines == "setup")
        {
            return HostedPage(id, "Your card was declined. Try another card.");
        }
        var expiry = form["exp"].ToString().Split('/');
        var (month, year) = expiry.Length == 2 && int.TryParse(expiry[0], out var m) && int.TryParse(expiry[1], out var y) ? (m, 2000 + y % 100) : (12, 2030);
        var pm = new PaymentMethod(NewId("pm"), card.Brand, card.Number[^4..], month, year, session.Customer);
        PaymentMethods[pm.Id] = pm;
        if (card.Declines is { } declineCode)
        {
            Declining[pm.Id] = declineCode;
        }
        (session.PaymentMethod, session.Status) = (pm.Id, "complete");
        return Results.Redirect(session.SuccessUrl.Replace("{CHECKOUT_SESSION_ID}", session.Id));
    }

    private static string NewId(string prefix) => prefix + "_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();

    private static string Serialize(Dictionary<string, object?> o) => System.Text.Json.JsonSerializer.Serialize(o);

    private static string Error(string type, string? code, string? declineCode, string message) =>
        System.Text.Json.JsonSerializer.Serialize(new { error = new Dictionary<string, string?> { ["type"] = type, ["code"] = code, ["decline_code"] = declineCode, ["message"] = message } });

    private static IResult Json(int status, string json) => Results.Content(json, "application/json", statusCode: status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
