using System.Net;
using System.Text.RegularExpressions;

namespace Mailroom.Posts;

/// <summary>
/// Points a post's <c>cid:</c> images (RFC 2392: the HTML names a MIME part by its Content-ID)
/// at the post's own attachment download, so an email's inline logo or chart shows in the feed
/// without the sanitised HTML ever loading anything from outside Mailroom.
/// </summary>
public static partial class InlineImages
{
    [GeneratedRegex("src=\"cid:([^\"]*)\"", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CidSource();

    /// <param name="html">Sanitised HTML (attribute values double-quoted, as the sanitiser writes them).</param>
    /// <param name="attachmentsByContentId">The post's kept attachments by Content-ID, without angle brackets.</param>
    public static string? Link(string? html, Guid postId, IReadOnlyDictionary<string, Guid> attachmentsByContentId)
    {
        if (html is null || attachmentsByContentId.Count == 0)
        {
            return html;
        }
        return CidSource().Replace(html, match =>
        {
            var contentId = Uri.UnescapeDataString(WebUtility.HtmlDecode(match.Groups[1].Value)).Trim('<', '>');
            return attachmentsByContentId.TryGetValue(contentId, out var attachmentId)
                ? $"src=\"/api/posts/{postId}/attachments/{attachmentId}\""
                : match.Value;
        });
    }
}
