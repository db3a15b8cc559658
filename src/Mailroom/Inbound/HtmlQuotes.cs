using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Mailroom.Inbound;

/// <summary>
/// Removes what mail clients mark as quoted history or signature in an HTML reply, before it is
/// rendered as text: Gmail (<c>div.gmail_quote</c>, <c>gmail_signature</c>), Apple Mail
/// (<c>blockquote type=cite</c>), Outlook (<c>#divRplyFwdMsg</c>, <c>#appendonsend</c>, the
/// <c>border-top</c> header separator), Thunderbird (<c>moz-cite-prefix</c>, <c>moz-signature</c>)
/// and Yahoo (<c>yahoo_quoted</c>).
/// </summary>
/// <remarks>
/// A quote container is only removed when no new text follows it: a reply written between
/// quotes (inline answers) keeps its quotes, which then reach the text rules as <c>&gt;</c> lines.
/// Outlook's separators are different: everything after one is the previous mail.
/// </remarks>
internal static class HtmlQuotes
{
    private const string QuoteSelectors =
        "div.gmail_quote, blockquote.gmail_quote, div.gmail_quote_container, blockquote[type=cite], "
        + "div.moz-cite-prefix, div.yahoo_quoted, div.OutlookMessageHeader";

    private const string SignatureSelectors = "div.gmail_signature, [data-smartmail=gmail_signature], div.moz-signature, pre.moz-signature";

    private const string SeparatorSelectors = "#divRplyFwdMsg, #appendonsend, div[style*=border-top]";

    private static readonly string[] SeparatorHeaders =
        ["From:", "From :", "De :", "De:", "Von:", "Van:", "Da:", "Från:", "Fra:", "Od:", "От:", "发件人:", "发件人："];

    /// <summary>
    /// More quote containers than any reply has (each one is looked at with everything after it):
    /// a mail with more is left whole for the text rules.
    /// </summary>
    private const int MaxContainers = 100;

    /// <summary>The HTML with quotes and signatures taken out, and the removed parts.</summary>
    public static (string Visible, string Removed) Remove(string html, CancellationToken cancellationToken = default)
    {
        if (HtmlText.IsTooDeep(html))
        {
            return (html, "");
        }

        var document = new HtmlParser().ParseDocument(html);
        var body = document.Body;
        if (body is null)
        {
            return (html, "");
        }

        var removed = new List<string>();
        var quotes = body.QuerySelectorAll(QuoteSelectors);
        var signatures = body.QuerySelectorAll(SignatureSelectors);
        if (quotes.Length + signatures.Length > MaxContainers)
        {
            return (html, "");
        }

        foreach (var separator in body.QuerySelectorAll(SeparatorSelectors).Where(IsSeparator).Take(1).ToList())
        {
            removed.Add(RemoveFrom(separator, body));
        }

        foreach (var signature in signatures.ToList())
        {
            removed.Add(signature.OuterHtml);
            signature.Remove();
        }

        // Last first, so a trailing quote that is removed no longer counts as text after an
        // earlier one (Thunderbird's cite prefix followed by its blockquote).
        foreach (var quote in quotes.Reverse().ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (quote.ParentElement is not null && !HasTextAfter(quote, body))
            {
                removed.Insert(0, quote.OuterHtml);
                quote.Remove();
            }
        }

        return removed.Count == 0 ? (html, "") : (body.InnerHtml, string.Join("\n", removed));
    }

    private static bool IsSeparator(IElement element)
    {
        if (element.Id is "divRplyFwdMsg" or "appendonsend")
        {
            return true;
        }

        // Outlook's border-top div holds the quoted mail's headers; other bordered divs are
        // just layout.
        var text = element.TextContent.TrimStart();
        return SeparatorHeaders.Any(header => text.StartsWith(header, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Removes the element and everything after it in document order.</summary>
    private static string RemoveFrom(IElement start, IElement root)
    {
        var removed = new List<string> { start.OuterHtml };
        INode node = start;
        while (node != root && node.Parent is { } parent)
        {
            var siblings = parent.ChildNodes;
            var following = siblings.Skip(siblings.Index(node) + 1).ToList();
            foreach (var next in following)
            {
                removed.Add(next is IElement element ? element.OuterHtml : next.TextContent);
                next.RemoveFromParent();
            }

            node = parent;
        }

        start.Remove();
        return string.Join("", removed);
    }

    private static bool HasTextAfter(IElement element, IElement root)
    {
        INode node = element;
        while (node != root && node.Parent is { } parent)
        {
            // By index: AngleSharp finds a node's next sibling by searching its parent's children,
            // so walking siblings one NextSibling at a time costs the square of their number.
            var siblings = parent.ChildNodes;
            var index = siblings.Index(node);
            for (var i = index + 1; i < siblings.Length; i++)
            {
                if (!string.IsNullOrWhiteSpace(siblings[i].TextContent))
                {
                    return true;
                }
            }

            node = parent;
        }

        return false;
    }
}
