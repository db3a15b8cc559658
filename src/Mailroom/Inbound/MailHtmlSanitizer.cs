using AngleSharp.Dom;
using Ganss.Xss;

namespace Mailroom.Inbound;

/// <summary>
/// The one HtmlSanitizer configuration for mail bodies shown in a feed. Beyond Ganss.Xss's
/// defaults (no scripts, no event handlers, no <c>javascript:</c>), mail must not be able to
/// load anything remote except plain images, post forms, or embed media: each of those lets
/// a sender learn who read the post or act on the reader's session.
/// </summary>
internal static class MailHtmlSanitizer
{
    private static readonly string[] ForbiddenTags =
    [
        "form", "input", "button", "select", "option", "optgroup", "textarea", "audio", "video", "source",
        "track", "picture", "iframe", "frame", "frameset", "object", "embed", "link", "meta", "base", "svg",
        "math", "style", "script",
    ];

    private static readonly string[] ForbiddenAttributes = ["background", "poster", "srcset", "action", "formaction", "ping", "dynsrc", "lowsrc"];

    // CSS properties that can carry url(...): dropping them is simpler and safer than
    // filtering URLs inside them, and mail loses nothing it needs (colours stay).
    private static readonly string[] ForbiddenCss =
    [
        "background", "background-image", "border-image", "border-image-source", "list-style", "list-style-image",
        "content", "cursor", "mask", "mask-image", "filter", "behavior",
    ];

    /// <summary>Sanitises one HTML body. A new sanitizer per call keeps this safe to use from many threads.</summary>
    public static string Sanitize(string html)
    {
        var sanitizer = new HtmlSanitizer();

        // Inline images refer to their MIME part by Content-ID (RFC 2392); the feed resolves them.
        sanitizer.AllowedSchemes.Add("cid");
        sanitizer.AllowedSchemes.Add("mailto");
        foreach (var tag in ForbiddenTags)
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        foreach (var attribute in ForbiddenAttributes)
        {
            sanitizer.AllowedAttributes.Remove(attribute);
        }

        foreach (var property in ForbiddenCss)
        {
            sanitizer.AllowedCssProperties.Remove(property);
        }

        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { LocalName: "a" } link)
            {
                // A link in somebody else's mail must not hand our page to the target.
                link.SetAttribute("rel", "noopener noreferrer nofollow");
                link.SetAttribute("target", "_blank");
            }
        };

        return sanitizer.Sanitize(html);
    }
}
