namespace Mailroom.Previews;

/// <summary>
/// Which attachments get a preview, by the type the sender declared. The decoder checks the bytes
/// themselves again; SVG (a document that can carry scripts and remote loads) is never drawn.
/// </summary>
public static class ThumbnailFormats
{
    private static readonly HashSet<string> Previewed = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/gif", "image/webp",
    };

    public static bool IsPreviewed(string? contentType) => Previewed.Contains((contentType ?? "").Split(';')[0].Trim());
}
