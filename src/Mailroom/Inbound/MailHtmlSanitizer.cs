using AngleSharp.Dom;
using Ganss.Xss;

namespace Mailroom.Inbound;

/// <summary>
/// The one HtmlSanitizer configuration for mail bodies shown in a feed. Beyond Ganss.Xss's
/// defaults (no scripts, no event handlers, no <c>javascript:</c>), mail must not be able to
/// load anything remote (remote images become links), post forms, or embed media: each of
/// those lets a sender learn who read the post or act on the reader's session.
/// </summary>
internal static class MailHtmlSanitizer
{
    private static readonly string[] ForbiddenTags =
    [
        "form", "input", "button", "select", "option", "optgroup", "textarea", "audio", "video", "source",
        "track", "picture", "iframe", "frame", "frameset", "object", "embed", "link", "meta", "base", "svg",
        "math", "style", "script",
    ];

    // class and id too: without the sender's stylesheet they do nothing for the mail, but they
    // could borrow the page's own classes (a fake alert) or clash with its element ids.
    private static readonly string[] ForbiddenAttributes = ["background", "poster", "srcset", "action", "formaction", "ping", "dynsrc", "lowsrc", "class", "id"];

    // CSS properties that can carry url(...): dropping them is simpler and safer than
    // filtering URLs inside them, and mail loses nothing it needs (colours stay).
    private static readonly string[] ForbiddenCss =
    [
        "background", "background-image", "border-image", "border-image-source", "list-style", "list-style-image",
        "content", "cursor", "mask", "mask-image", "filter", "behavior",

        // Positioning would let a mail lay itself over the page around it (a fake sign-in box).
        "position", "z-index", "top", "right", "bottom", "left", "inset",
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
            else if (e.Node is IElement { LocalName: "img" } image && !IsInline(image))
            {
                // A remote image tells the sender who read the post, and when: never load it by
                // itself. A link lets the reader open it on purpose; tracking pixels just go.
                if (RemoteImageLink(e.Document, image) is { } replacement)
                {
                    e.ReplacementNodes.Add(replacement);
                }
                else
                {
                    e.ReplacementNodes.Add(e.Document.CreateTextNode(""));
                }
            }
        };

        return sanitizer.Sanitize(html);
    }

    /// <summary>An image from the message itself (<c>cid:</c>, RFC 2392); Mailroom serves those.</summary>
    private static bool IsInline(IElement image) =>
        image.GetAttribute("src") is { } src && src.StartsWith("cid:", StringComparison.OrdinalIgnoreCase);

    private static IElement? RemoteImageLink(IDocument document, IElement image)
    {
        var src = image.GetAttribute("src");
        if (!Uri.TryCreate(src, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || IsPixel(image))
        {
            return null;
        }
        var link = document.CreateElement("a");
        link.SetAttribute("href", url.AbsoluteUri);
        link.SetAttribute("rel", "noopener noreferrer nofollow");
        link.SetAttribute("target", "_blank");
        link.SetAttribute("class", "remote-image");
        link.SetAttribute("title", $"Image from {url.Host}, not loaded: open it in a new tab");
        var alt = image.GetAttribute("alt")?.Trim();
        link.TextContent = string.IsNullOrEmpty(alt) ? $"Image from {url.Host}" : alt;
        return link;
    }

    private static bool IsPixel(IElement image) =>
        (int.TryParse(image.GetAttribute("width"), out var width) && width <= 2)
        || (int.TryParse(image.GetAttribute("height"), out var height) && height <= 2);
}
