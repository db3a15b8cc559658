using Mailroom.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Previews;

/// <summary>
/// A thumbnail is Mailroom's own re-encoding of an image, never the sender's bytes: it is the one
/// thing from an email served inline. Still with <c>nosniff</c> and the download sandbox, and cached
/// by the browser only for this member (the same permission check runs on each fetch after).
/// </summary>
public static class ThumbnailResponse
{
    public static async Task<FileStreamHttpResult> ServeAsync(HttpResponse response, Thumbnails thumbnails, string blobHash, string contentType, CancellationToken cancellationToken)
    {
        var path = ThumbnailFormats.IsPreviewed(contentType) ? await thumbnails.GetAsync(blobHash, cancellationToken) : null;
        if (path is null)
        {
            throw new AppProblem(StatusCodes.Status404NotFound, "no_preview", "This attachment has no preview: download it to see it.");
        }
        response.Headers.ContentSecurityPolicy = Downloads.ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "private, max-age=86400";
        return TypedResults.File(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16 * 1024, FileOptions.Asynchronous), Thumbnails.ContentType);
    }
}
