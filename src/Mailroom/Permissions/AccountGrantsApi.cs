using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Permissions;

/// <summary>Who may send from an account, under the account's own address: <c>/api/accounts/{id}/grants</c>.</summary>
public static class AccountGrantsApi
{
    public sealed record GrantRequest(Guid UserId);

    public static RouteGroupBuilder MapAccountGrantsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/accounts/{accountId:guid}/grants").RequireAuthorization().WithTags("Accounts");
        api.MapGet("/", ListAsync);
        api.MapPost("/", GrantAsync);
        api.MapDelete("/{userId:guid}", RevokeAsync);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<AccountGrantView>>> ListAsync(Guid accountId, AccountGrantService grants, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await grants.ListAsync(await db.RequireAsync(http.User, ct), accountId, ct));

    private static async Task<Ok<AccountGrantView>> GrantAsync(Guid accountId, GrantRequest request, AccountGrantService grants, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await grants.GrantAsync(await db.RequireAsync(http.User, ct), accountId, request.UserId, ct));

    private static async Task<NoContent> RevokeAsync(Guid accountId, Guid userId, AccountGrantService grants, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await grants.RevokeAsync(await db.RequireAsync(http.User, ct), accountId, userId, ct);
        return TypedResults.NoContent();
    }
}
