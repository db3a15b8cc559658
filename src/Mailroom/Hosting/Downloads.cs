using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Hosting;

/// <summary>
/// Files that came in by email (attachments, originals) are a stranger's bytes: always a
/// download, never rendered as this origin's page. <c>sandbox</c> gives a document opened anyway
/// (an old browser, a "view" button) an opaque origin with no scripts, so it reads no cookie,
/// storage or API of Mailroom's.
/// </summary>
public static class Downloads
{
    public const string ContentSecurityPolicy = "sandbox; default-src 'none'";

    /// <summary>
    /// Types served as they were sent: images (the post's inline pictures need them) and
    /// documents no browser runs. Anything else — HTML, SVG, JavaScript, CSS — goes out as
    /// <c>application/octet-stream</c>: with <c>nosniff</c> a browser then refuses it as a script
    /// or style sheet even in a page of this origin, which <c>script-src 'self'</c> would allow.
    /// </summary>
    private static readonly HashSet<string> Inert = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
        "application/pdf", "text/plain", "text/csv", "application/zip", "message/rfc822",
    };

    public static FileStreamHttpResult File(HttpResponse response, Stream content, string contentType, string fileName)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(content, ServedType(contentType), SafeFileName(fileName));
    }

    public static string ServedType(string? contentType)
    {
        var mediaType = (contentType ?? "").Split(';')[0].Trim();
        return Inert.Contains(mediaType) ? mediaType : "application/octet-stream";
    }

    /// <summary>
    /// The name a sender chose, without what could make it a path, a second header or a hidden
    /// extension (control and bidi characters); never empty.
    /// </summary>
    public static string SafeFileName(string? name)
    {
        var builder = new StringBuilder(name?.Length ?? 0);
        foreach (var c in name ?? "")
        {
            builder.Append(char.IsControl(c) || c is '/' or '\\' or '"' or ':' or '*' or '?' or '<' or '>' or '|'
                || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' or '\u200e' or '\u200f'
                ? '_' : c);
        }
        var safe = builder.ToString().Trim().TrimStart('.');
        if (safe.Length > 200)
        {
            safe = safe[..200];
        }
        return safe.Length == 0 ? "attachment" : safe;
    }
}
