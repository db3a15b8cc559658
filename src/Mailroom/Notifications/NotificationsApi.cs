using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Notifications;

public static class NotificationsApi
{
    public sealed record UnreadCount(int Count);

    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notifications").RequireAuthorization().WithTags("Notifications");
        api.MapGet("/", ListAsync);
        api.MapGet("/unread-count", CountAsync);
        api.MapPost("/{id:guid}/read", async (Guid id, NotificationService n, MailroomDb db, HttpContext http, CancellationToken ct) =>
        {
            await n.MarkReadAsync(await db.RequireAsync(http.User, ct), id, ct);
            return TypedResults.NoContent();
        });
        api.MapPost("/read-all", async (NotificationService n, MailroomDb db, HttpContext http, CancellationToken ct) =>
        {
            await n.MarkReadAsync(await db.RequireAsync(http.User, ct), null, ct);
            return TypedResults.NoContent();
        });
        // The link each notification is in the web UI: a plain GET, so it works from the bell,
        // a middle click or a bookmark. It changes only the member's own read marks, which is all
        // a forged link could do, and lands on the task itself.
        app.MapGet("/notifications/{id:guid}/open", OpenAsync).RequireAuthorization().ExcludeFromDescription();
        return api;
    }

    private static async Task<RedirectHttpResult> OpenAsync(Guid id, NotificationService notifications, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        try
        {
            return TypedResults.LocalRedirect(await notifications.OpenAsync(await db.RequireAsync(http.User, ct), id, ct));
        }
        catch (AppProblem problem) when (problem.Status == StatusCodes.Status404NotFound)
        {
            // Someone else's or a deleted notification: back to one's own list, which says nothing about it.
            return TypedResults.LocalRedirect("/notifications");
        }
    }

    private static async Task<Ok<IReadOnlyList<NotificationView>>> ListAsync(bool? unreadOnly, int? take, NotificationService notifications, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await notifications.ListAsync(await db.RequireAsync(http.User, ct), unreadOnly ?? false, take ?? 50, ct));

    private static async Task<Ok<UnreadCount>> CountAsync(NotificationService notifications, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(new UnreadCount(await notifications.UnreadCountAsync(await db.RequireAsync(http.User, ct), ct)));
}
