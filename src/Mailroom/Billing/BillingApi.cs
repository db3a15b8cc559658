using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Billing;

/// <summary>The workspace's billing, for its owners and admins: <c>/api/billing</c>.</summary>
public static class BillingApi
{
    public sealed record BuySlotsRequest(int Quantity);
    public sealed record PlanRequest(string PlanId);
    public sealed record CycleRequest(string? Cycle);
    public sealed record CardSetupRequest(string SessionId);
    public sealed record CardSetupResponse(string SessionId, string Url);

    public static RouteGroupBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/billing").RequireAuthorization().WithTags("Billing");
        api.MapGet("/", GetAsync);
        api.MapPost("/slots", BuySlotsAsync);
        api.MapGet("/plan/quote", QuoteAsync);
        api.MapPost("/plan", ChangePlanAsync);
        api.MapGet("/cycle/quote", CycleQuoteAsync);
        api.MapPost("/cycle", ChangeCycleAsync);
        api.MapPost("/card/setup", StartCardAsync);
        api.MapPost("/card", CompleteCardAsync);
        api.MapDelete("/card", RemoveCardAsync);

        // The browser's way back from the processor's hosted page (a plain GET it is redirected to; signed in by cookie).
        app.MapGet(CardsOnFile.ReturnPath, CardReturnAsync).RequireAuthorization().ExcludeFromDescription();
        // The Billing page's "Add a card" link: off to the processor's hosted page. A plain GET, as the
        // OAuth link's start: the page's form-action 'self' policy would stop a form post's redirect
        // to another origin, and starting a card entry changes nothing until the card is saved there.
        app.MapGet(CardsOnFile.StartPath, CardStartAsync).RequireAuthorization().ExcludeFromDescription();
        return api;
    }

    private static async Task<Ok<BillingView>> GetAsync(BillingService billing, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await billing.GetAsync(await db.RequireAsync(http.User, ct), ct));

    /// <summary>Buys slots; send a new <c>Idempotency-Key</c> per purchase, and the same one to retry it (never charged twice).</summary>
    private static async Task<Ok<SlotPurchase>> BuySlotsAsync(BuySlotsRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        BillingService billing, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await billing.BuySlotsAsync(await db.RequireAsync(http.User, ct), request.Quantity, idempotencyKey, ct));

    /// <summary>What changing to <paramref name="planId"/> would cost today (an upgrade, prorated) or when it would start (a downgrade).</summary>
    private static async Task<Ok<PlanChangeQuote>> QuoteAsync(string planId, PlanChanges plans, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        plans.RequireMayChange(await db.RequireAsync(http.User, ct));
        return TypedResults.Ok(await plans.QuoteAsync(planId, ct));
    }

    /// <summary>The owner changes the plan: an upgrade is charged prorated at once, a downgrade waits for the renewal. Idempotency-Key as for slots.</summary>
    private static async Task<Ok<PlanChangeResult>> ChangePlanAsync(PlanRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        PlanChanges plans, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await plans.ChangeAsync(await db.RequireAsync(http.User, ct), request.PlanId, idempotencyKey, ct));

    /// <summary>What paying monthly or yearly would cost from the next renewal.</summary>
    private static async Task<Ok<CycleChangeQuote>> CycleQuoteAsync(string? cycle, CycleChanges cycles, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        cycles.RequireMayChange(await db.RequireAsync(http.User, ct));
        return TypedResults.Ok(await cycles.QuoteAsync(CycleChanges.Parse(cycle), ct));
    }

    /// <summary>The owner chooses monthly or yearly billing: the next renewal starts it; nothing is charged now. Idempotency-Key as for slots.</summary>
    private static async Task<Ok<CycleChangeResult>> ChangeCycleAsync(CycleRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CycleChanges cycles, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await cycles.ChangeAsync(await db.RequireAsync(http.User, ct), request.Cycle, idempotencyKey, ct));

    /// <summary>Starts a card entry on the processor's hosted page: send the browser to <c>url</c>; it comes back to the Billing page.</summary>
    private static async Task<Ok<CardSetupResponse>> StartCardAsync(CardsOnFile cards, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var start = await cards.StartAsync(await db.RequireAsync(http.User, ct), BaseUrl(http), ct);
        return TypedResults.Ok(new CardSetupResponse(start.SessionId, start.Url));
    }

    /// <summary>Keeps the card a finished card entry saved (for a client that handles the return itself).</summary>
    private static async Task<Ok<CardView>> CompleteCardAsync(CardSetupRequest request, CardsOnFile cards, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await cards.CompleteAsync(await db.RequireAsync(http.User, ct), request.SessionId, ct));

    private static async Task<NoContent> RemoveCardAsync(CardsOnFile cards, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await cards.RemoveAsync(await db.RequireAsync(http.User, ct), ct);
        return TypedResults.NoContent();
    }

    private static async Task<RedirectHttpResult> CardReturnAsync(string? session_id, CardsOnFile cards, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        try
        {
            await cards.CompleteAsync(await db.RequireAsync(http.User, ct), session_id, ct);
            return TypedResults.LocalRedirect("/admin/billing?saved=card");
        }
        catch (Hosting.AppProblem problem)
        {
            return TypedResults.LocalRedirect($"/admin/billing?problem={Uri.EscapeDataString(problem.Code)}");
        }
    }

    private static async Task<IResult> CardStartAsync(CardsOnFile cards, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        try
        {
            var start = await cards.StartAsync(await db.RequireAsync(http.User, ct), BaseUrl(http), ct);
            return TypedResults.Redirect(start.Url);
        }
        catch (Hosting.AppProblem problem)
        {
            return TypedResults.LocalRedirect($"/admin/billing?problem={Uri.EscapeDataString(problem.Code)}");
        }
    }

    /// <summary>This server's address as the browser reached it, for the processor's page to send it back.</summary>
    public static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
