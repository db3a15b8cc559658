using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Integrations;

public static class IntegrationsApi
{
    /// <summary>Either <see cref="GroupId"/> or <see cref="NewGroupName"/>.</summary>
    public sealed record NewIntegrationRequest(Guid? GroupId, string? NewGroupName, string Title);

    public static RouteGroupBuilder MapIntegrationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/integrations/email").RequireAuthorization().WithTags("Integrations");
        api.MapGet("/", ListAsync);
        api.MapPost("/", AddAsync);
        api.MapGet("/{id:guid}", GetAsync);
        api.MapDelete("/{id:guid}", RemoveAsync);
        return api;
    }

    private static async Task<Ok<IntegrationList>> ListAsync(IntegrationService integrations, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await integrations.ListAsync(await db.RequireAsync(http.User, ct), ct));

    private static async Task<Ok<IntegrationView>> GetAsync(Guid id, IntegrationService integrations, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await integrations.GetAsync(await db.RequireAsync(http.User, ct), id, ct));

    private static async Task<Created<IntegrationView>> AddAsync(NewIntegrationRequest request, IntegrationService integrations, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var added = await integrations.AddAsync(await db.RequireAsync(http.User, ct), request.GroupId, request.NewGroupName, request.Title, ct);
        return TypedResults.Created($"/api/integrations/email/{added.Id}", added);
    }

    private static async Task<NoContent> RemoveAsync(Guid id, IntegrationService integrations, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await integrations.RemoveAsync(await db.RequireAsync(http.User, ct), id, ct);
        return TypedResults.NoContent();
    }
}
