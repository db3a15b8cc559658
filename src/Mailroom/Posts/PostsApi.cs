using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Previews;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Posts;

public static class PostsApi
{
    public sealed record NewPostRequest(string Title, string? Body);

    public static RouteGroupBuilder MapPostsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/groups/{groupId:guid}/posts", FeedAsync).RequireAuthorization().WithTags("Posts");
        app.MapPost("/api/groups/{groupId:guid}/posts", CreateAsync).RequireAuthorization().WithTags("Posts");

        var posts = app.MapGroup("/api/posts/{postId:guid}").RequireAuthorization().WithTags("Posts");
        posts.MapGet("/", GetAsync);
        posts.MapGet("/attachments/{attachmentId:guid}", DownloadAttachmentAsync);
        posts.MapGet("/attachments/{attachmentId:guid}/thumbnail", ThumbnailAsync);
        posts.MapGet("/original", DownloadOriginalAsync);
        return posts;
    }

    private static async Task<Ok<IReadOnlyList<PostView>>> FeedAsync(Guid groupId, int? take, DateTimeOffset? before, PostService posts, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await posts.FeedAsync(await db.RequireAsync(http.User, ct), groupId, take ?? 50, before, ct));

    private static async Task<Created<PostView>> CreateAsync(Guid groupId, NewPostRequest request, PostService posts, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var post = await posts.CreateAsync(await db.RequireAsync(http.User, ct), groupId, request.Title, request.Body ?? "", ct);
        return TypedResults.Created($"/api/posts/{post.Id}", post);
    }

    private static async Task<Ok<PostView>> GetAsync(Guid postId, PostService posts, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await posts.GetAsync(await db.RequireAsync(http.User, ct), postId, ct));

    private static async Task<FileStreamHttpResult> DownloadAttachmentAsync(Guid postId, Guid attachmentId, PostService posts, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var (attachment, content) = await posts.OpenAttachmentAsync(await db.RequireAsync(http.User, ct), postId, attachmentId, ct);
        return Downloads.File(http.Response, content, attachment.ContentType, attachment.FileName);
    }

    private static async Task<FileStreamHttpResult> ThumbnailAsync(Guid postId, Guid attachmentId, PostService posts, Thumbnails thumbnails, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var attachment = await posts.FindAttachmentAsync(await db.RequireAsync(http.User, ct), postId, attachmentId, ct);
        return await ThumbnailResponse.ServeAsync(http.Response, thumbnails, attachment.BlobHash, attachment.ContentType, ct);
    }

    private static async Task<FileStreamHttpResult> DownloadOriginalAsync(Guid postId, PostService posts, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var content = await posts.OpenOriginalAsync(await db.RequireAsync(http.User, ct), postId, ct);
        return Downloads.File(http.Response, content, "message/rfc822", $"post-{postId:N}.eml");
    }
}
