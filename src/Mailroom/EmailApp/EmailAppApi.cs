using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.EmailApp;

public static class EmailAppApi
{
    /// <summary><see cref="WatermarkOff"/>: the workspace's choice; <see cref="WatermarkShown"/>: whether emails carry the footer now (the plan may not allow removing it).</summary>
    public sealed record SettingsResponse(bool Enabled, bool AllSpaces, IReadOnlyList<Guid> SpaceIds, ReplyMode ReplyMode, DateTimeOffset UpdatedAt, bool WatermarkOff, bool WatermarkShown);

    /// <summary>Off: emails sent from tasks leave without the "Sent using Mailroom" footer (plans that allow it).</summary>
    public sealed record WatermarkRequest(bool Off);

    /// <summary>With <see cref="AllSpaces"/> false, the app works in <see cref="SpaceIds"/> only.</summary>
    public sealed record SettingsRequest(bool Enabled, bool AllSpaces = true, IReadOnlyList<Guid>? SpaceIds = null, ReplyMode ReplyMode = ReplyMode.Threaded);

    public static RouteGroupBuilder MapEmailAppApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/email-app").RequireAuthorization().WithTags("Email app");
        api.MapGet("/", GetAsync);
        api.MapPut("/", UpdateAsync);
        api.MapPut("/watermark", SetWatermarkAsync);
        api.MapGet("/audit", AuditAsync);
        return api;
    }

    private static async Task<Ok<SettingsResponse>> GetAsync(EmailAppService emailApp, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await DescribeAsync(emailApp, await emailApp.GetAsync(await db.RequireAsync(http.User, ct), ct), ct));

    private static async Task<Ok<SettingsResponse>> UpdateAsync(SettingsRequest request, EmailAppService emailApp, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await DescribeAsync(emailApp, await emailApp.UpdateAsync(await db.RequireAsync(http.User, ct), request.Enabled, request.AllSpaces, request.SpaceIds, request.ReplyMode, ct), ct));

    private static async Task<Ok<SettingsResponse>> SetWatermarkAsync(WatermarkRequest request, EmailAppService emailApp, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await DescribeAsync(emailApp, await emailApp.SetWatermarkOffAsync(await db.RequireAsync(http.User, ct), request.Off, ct), ct));

    private static async Task<Ok<IReadOnlyList<EmailAppAuditView>>> AuditAsync(EmailAppService emailApp, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await emailApp.AuditAsync(await db.RequireAsync(http.User, ct), ct));

    private static async Task<SettingsResponse> DescribeAsync(EmailAppService emailApp, EmailAppSettings s, CancellationToken ct) =>
        new(s.Enabled, s.AllSpaces, s.SpaceIds, s.ReplyMode, s.UpdatedAt, s.WatermarkOff, await emailApp.WatermarkShownAsync(ct));
}
