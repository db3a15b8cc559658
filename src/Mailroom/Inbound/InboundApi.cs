using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Inbound;

public static class InboundApi
{
    public static RouteGroupBuilder MapInboundApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/inbound").RequireAuthorization().WithTags("Inbound");
        api.MapGet("/", ListAsync);
        api.MapGet("/refusals", RefusalsAsync);
        api.MapGet("/{id:guid}", GetAsync);
        api.MapGet("/{id:guid}/raw", RawAsync);
        api.MapPost("/{id:guid}/retry", RetryAsync);
        return api;
    }

    /// <summary>Messages, newest first: <c>status</c> one of the statuses, <c>address</c> part of a recipient or sender.</summary>
    private static async Task<Ok<IReadOnlyList<InboundLogEntry>>> ListAsync(string? status, string? address, int? take, InboundLog log, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        InboundStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            filter = Enum.TryParse<InboundStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw AppProblem.Invalid("invalid_status", $"Unknown status '{status}'. Use one of: {string.Join(", ", Enum.GetNames<InboundStatus>().Select(n => n.ToLowerInvariant()))}. Recipients refused at RCPT are at /api/inbound/refusals.");
        }
        return TypedResults.Ok(await log.ListAsync(await db.RequireAsync(http.User, ct), filter, address, take ?? 100, ct));
    }

    /// <summary>Recipients refused at RCPT, last refused first: <c>address</c> part of the recipient or the envelope sender.</summary>
    private static async Task<Ok<IReadOnlyList<RefusalLogEntry>>> RefusalsAsync(string? address, int? take, InboundLog log, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await log.ListRefusalsAsync(await db.RequireAsync(http.User, ct), address, take ?? 100, ct));

    private static async Task<Ok<InboundLogEntry>> GetAsync(Guid id, InboundLog log, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await log.GetAsync(await db.RequireAsync(http.User, ct), id, ct));

    private static async Task<FileStreamHttpResult> RawAsync(Guid id, InboundLog log, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.File(await log.OpenRawAsync(await db.RequireAsync(http.User, ct), id, ct), "message/rfc822", $"inbound-{id:N}.eml");

    private static async Task<NoContent> RetryAsync(Guid id, InboundLog log, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await log.RetryAsync(await db.RequireAsync(http.User, ct), id, ct);
        return TypedResults.NoContent();
    }
}
