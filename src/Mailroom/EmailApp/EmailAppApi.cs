using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.EmailApp;

public static class EmailAppApi
{
    public sealed record SettingsResponse(bool Enabled, bool AllSpaces, IReadOnlyList<Guid> SpaceIds, ReplyMode ReplyMode, DateTimeOffset UpdatedAt);

    /// <summary>With <see cref="AllSpaces"/> false, the app works in <see cref="SpaceIds"/> only.</summary>
    public sealed record SettingsRequest(bool Enabled, bool AllSpaces = true, IReadOnlyList<Guid>? SpaceIds = null, ReplyMode ReplyMode = ReplyMode.Threaded);

    public static RouteGroupBuilder MapEmailAppApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/email-app").RequireAuthorization().WithTags("Email app");
        api.MapGet("/", GetAsync);
        api.MapPut("/", UpdateAsync);
        api.MapGet("/audit", AuditAsync);
        return api;
    }

    private static async Task<Ok<SettingsResponse>> GetAsync(EmailAppService emailApp, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Describe(await emailApp.GetAsync(await db.RequireAsync(http.User, ct), ct)));

    private static async Task<Ok<SettingsResponse>> UpdateAsync(SettingsRequest request, EmailAppService emailApp, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Describe(await emailApp.UpdateAsync(await db.RequireAsync(http.User, ct), request.Enabled, request.AllSpaces, request.SpaceIds, request.ReplyMode, ct)));

    private static async Task<Ok<IReadOnlyList<EmailAppAuditView>>> AuditAsync(EmailAppService emailApp, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await emailApp.AuditAsync(await db.RequireAsync(http.User, ct), ct));

    private static SettingsResponse Describe(EmailAppSettings s) => new(s.Enabled, s.AllSpaces, s.SpaceIds, s.ReplyMode, s.UpdatedAt);
}
