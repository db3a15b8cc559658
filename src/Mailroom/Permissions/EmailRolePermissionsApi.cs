using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Permissions;

/// <summary>The custom role permissions for email (B18): <c>GET/PUT /api/workspace/email-permissions</c>.</summary>
public static class EmailRolePermissionsApi
{
    /// <summary>Either row may be left out (unchanged), and so may either permission of a row.</summary>
    public sealed record ChangeRequest(RoleEmailPermissionsChange? Admin, RoleEmailPermissionsChange? Member);

    public static RouteGroupBuilder MapEmailRolePermissionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/workspace/email-permissions").RequireAuthorization().WithTags("Workspace");
        api.MapGet("/", GetAsync);
        api.MapPut("/", SetAsync);
        return api;
    }

    private static async Task<Ok<EmailRolePermissionsView>> GetAsync(EmailRolePermissionsService service, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await service.GetAsync(await db.RequireAsync(http.User, ct), ct));

    private static async Task<Ok<EmailRolePermissionsView>> SetAsync(ChangeRequest request, EmailRolePermissionsService service, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await service.SetAsync(await db.RequireAsync(http.User, ct), request.Admin, request.Member, ct));
}
