namespace Mailroom.Posts;

/// <summary>A file that came with an email. <see cref="ThumbnailUrl"/> is set for the image types that get a preview.</summary>
public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size, string DownloadUrl, string? ThumbnailUrl = null)
{
    public static AttachmentView Of(Guid id, string fileName, string contentType, long size, string downloadUrl) =>
        new(id, fileName, contentType, size, downloadUrl, Previews.ThumbnailFormats.IsPreviewed(contentType) ? $"{downloadUrl}/thumbnail" : null);
}
