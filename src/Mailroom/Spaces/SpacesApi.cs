using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Spaces;

public static class SpacesApi
{
    public sealed record SpaceResponse(Guid Id, string Name, string Description, DateTimeOffset CreatedAt);
    public sealed record SpaceRequest(string? Name, string? Description);
    public sealed record GuestRequest(Guid UserId);

    public static RouteGroupBuilder MapSpacesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/spaces").RequireAuthorization().WithTags("Spaces");
        api.MapGet("/", ListAsync);
        api.MapPost("/", CreateAsync);
        api.MapGet("/{spaceId:guid}", GetAsync);
        api.MapPatch("/{spaceId:guid}", UpdateAsync);
        api.MapDelete("/{spaceId:guid}", DeleteAsync);
        api.MapPost("/{spaceId:guid}/guests", AddGuestAsync);
        return api;
    }

    private static async Task<Ok<List<SpaceResponse>>> ListAsync(SpaceService spaces, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var user = await db.RequireAsync(http.User, ct);
        var list = await spaces.Visible(user).AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        return TypedResults.Ok(list.Select(Describe).ToList());
    }

    private static async Task<Created<SpaceResponse>> CreateAsync(SpaceRequest request, SpaceService spaces, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var space = await spaces.CreateAsync(await db.RequireAsync(http.User, ct), request.Name ?? "", request.Description, ct);
        return TypedResults.Created($"/api/spaces/{space.Id}", Describe(space));
    }

    private static async Task<Ok<SpaceResponse>> GetAsync(Guid spaceId, SpaceService spaces, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Describe(await spaces.GetVisibleAsync(await db.RequireAsync(http.User, ct), spaceId, ct)));

    private static async Task<Ok<SpaceResponse>> UpdateAsync(Guid spaceId, SpaceRequest request, SpaceService spaces, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Describe(await spaces.UpdateAsync(await db.RequireAsync(http.User, ct), spaceId, request.Name, request.Description, ct)));

    private static async Task<NoContent> DeleteAsync(Guid spaceId, SpaceService spaces, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await spaces.DeleteAsync(await db.RequireAsync(http.User, ct), spaceId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> AddGuestAsync(Guid spaceId, GuestRequest request, SpaceService spaces, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await spaces.AddGuestAsync(await db.RequireAsync(http.User, ct), spaceId, request.UserId, ct);
        return TypedResults.NoContent();
    }

    private static SpaceResponse Describe(Space s) => new(s.Id, s.Name, s.Description, s.CreatedAt);
}
