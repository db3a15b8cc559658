using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Billing;

/// <summary>The workspace's billing, for its owners and admins: <c>/api/billing</c>.</summary>
public static class BillingApi
{
    public sealed record BuySlotsRequest(int Quantity);

    public static RouteGroupBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/billing").RequireAuthorization().WithTags("Billing");
        api.MapGet("/", GetAsync);
        api.MapPost("/slots", BuySlotsAsync);
        return api;
    }

    private static async Task<Ok<BillingView>> GetAsync(BillingService billing, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await billing.GetAsync(await db.RequireAsync(http.User, ct), ct));

    /// <summary>Buys slots; send a new <c>Idempotency-Key</c> per purchase, and the same one to retry it (never charged twice).</summary>
    private static async Task<Ok<SlotPurchase>> BuySlotsAsync(BuySlotsRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        BillingService billing, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await billing.BuySlotsAsync(await db.RequireAsync(http.User, ct), request.Quantity, idempotencyKey, ct));
}
