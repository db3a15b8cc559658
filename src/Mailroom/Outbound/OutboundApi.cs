using System.Globalization;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Outbound;

/// <summary>
/// The outbox over HTTP: compose (multipart/form-data, files in <c>attachments</c>), list, change
/// and cancel a scheduled email. A form post can come from another site's page, so a request
/// signed in by cookie must carry the antiforgery token (the composer's form does); API tokens
/// (<c>Authorization: Bearer</c>) cannot be sent by a browser on its own and need none.
/// </summary>
public static class OutboundApi
{
    /// <summary>The largest compose request taken (files included): past it the outbox's own limits, which name the provider's, decide.</summary>
    public const long MaxRequestBytes = 200L * 1024 * 1024;

    /// <summary>The services every handler takes.</summary>
    public sealed record Handler(OutboxService Outbox, MailroomDb Db, HttpContext Http, IAntiforgery Antiforgery);

    public static RouteGroupBuilder MapOutboundApi(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/tasks/{taskId:guid}/emails").RequireAuthorization().WithTags("Emails");
        tasks.MapPost("/", QueueAsync).WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes));
        tasks.MapGet("/", ListAsync);
        var emails = app.MapGroup("/api/emails/{id:guid}").RequireAuthorization().WithTags("Emails");
        emails.MapPut("/", UpdateAsync).WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes));
        emails.MapDelete("/", CancelAsync);
        return emails;
    }

    private static async Task<Created<OutboundEmailView>> QueueAsync(Guid taskId, [AsParameters] Handler h, CancellationToken ct)
    {
        var actor = await h.Db.RequireAsync(h.Http.User, ct);
        var request = await ReadAsync(h, ct);
        var email = await h.Outbox.QueueAsync(actor, taskId, request, ct);
        return TypedResults.Created($"/api/emails/{email.Id}", email);
    }

    private static async Task<Ok<IReadOnlyList<OutboundEmailView>>> ListAsync(Guid taskId, [AsParameters] Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.Outbox.ListAsync(await h.Db.RequireAsync(h.Http.User, ct), taskId, ct));

    private static async Task<Ok<OutboundEmailView>> UpdateAsync(Guid id, [AsParameters] Handler h, CancellationToken ct)
    {
        var actor = await h.Db.RequireAsync(h.Http.User, ct);
        var request = await ReadAsync(h, ct);
        return TypedResults.Ok(await h.Outbox.UpdateScheduledAsync(actor, id, request, ct));
    }

    private static async Task<NoContent> CancelAsync(Guid id, [AsParameters] Handler h, CancellationToken ct)
    {
        var actor = await h.Db.RequireAsync(h.Http.User, ct);
        await RequireAntiforgeryAsync(h);
        await h.Outbox.CancelAsync(actor, id, ct);
        return TypedResults.NoContent();
    }

    /// <summary>The composer's form as a <see cref="ComposeRequest"/>; recipients comma-separated or repeated.</summary>
    private static async Task<ComposeRequest> ReadAsync(Handler h, CancellationToken ct)
    {
        if (!h.Http.Request.HasFormContentType)
        {
            throw new AppProblem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the email as multipart/form-data.");
        }
        await RequireAntiforgeryAsync(h);
        var form = await h.Http.Request.ReadFormAsync(ct);
        if (!Guid.TryParse(form["accountId"].ToString(), out var accountId))
        {
            throw AppProblem.Invalid(OutboxProblems.InvalidAccount, "Pick the email account to send from (accountId).");
        }
        DateTimeOffset? sendAt = null;
        if (form["sendAt"].ToString() is { Length: > 0 } at)
        {
            // An offset is required: "9:00" means the member's 9:00, which only the composer knows.
            if (!DateTimeOffset.TryParseExact(at, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                || !(at.EndsWith('Z') || at.EndsWith('z') || at.LastIndexOfAny(['+', '-']) > 10))
            {
                throw AppProblem.Invalid(OutboxProblems.InvalidSendAt, "Give sendAt as an ISO 8601 date and time with its offset, e.g. 2026-12-24T09:00:00+01:00.");
            }
            sendAt = parsed;
        }
        Guid? replyTo = null;
        if (form["replyToCommentId"].ToString() is { Length: > 0 } reply)
        {
            replyTo = Guid.TryParse(reply, out var r) ? r : throw AppProblem.Invalid("invalid_comment", "replyToCommentId is not a comment id.");
        }
        var files = form.Files.GetFiles("attachments")
            .Select(f => new ComposeAttachment(f.FileName, f.ContentType, f.Length, f.OpenReadStream))
            .ToList();
        return new ComposeRequest(accountId, form["to"].OfType<string>().ToList(), form["cc"].OfType<string>().ToList(), form["bcc"].OfType<string>().ToList(),
            form["subject"].ToString(), form["bodyHtml"].ToString(), files, sendAt, replyTo);
    }

    private static async Task RequireAntiforgeryAsync(Handler h)
    {
        if (h.Http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        try
        {
            await h.Antiforgery.ValidateRequestAsync(h.Http);
        }
        catch (AntiforgeryValidationException)
        {
            throw AppProblem.Invalid("antiforgery_failed", "The form's antiforgery token is missing or stale: reload the page and send again.");
        }
    }
}
