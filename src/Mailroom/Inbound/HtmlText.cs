using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Mailroom.Inbound;

/// <summary>
/// Renders an HTML body as the plain text a reader would see: blocks on their own lines,
/// paragraphs separated by a blank line, list items marked, quotes prefixed with <c>&gt; </c>
/// (so the later quote stripper can treat HTML and plain mail alike) and link targets kept.
/// </summary>
/// <remarks>
/// The walk over the DOM is iterative on purpose: mail is attacker-controlled, and a few
/// hundred kilobytes of nested <c>&lt;div&gt;</c> would overflow the stack of a recursive
/// walk, which .NET cannot catch.
/// </remarks>
internal static partial class HtmlText
{
    // Elements that never nest: void elements, and those an HTML5 parser closes implicitly
    // when a sibling opens, so sloppy mail full of unclosed <p> or <td> is not taken for deep.
    private static readonly HashSet<string> NonNesting =
        new(StringComparer.OrdinalIgnoreCase)
        {
            "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
            "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb",
            "rt", "rp", "colgroup", "caption", "html", "head", "body",
        };

    private static readonly HashSet<string> Skipped =
        new(StringComparer.OrdinalIgnoreCase) { "script", "style", "head", "title", "template", "meta", "link", "object", "embed", "iframe" };

    private static readonly HashSet<string> Paragraphs =
        new(StringComparer.OrdinalIgnoreCase)
        {
            "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre", "hr",
            "figure", "address",
        };

    private static readonly HashSet<string> Lines =
        new(StringComparer.OrdinalIgnoreCase)
        {
            "div", "li", "tr", "section", "article", "header", "footer", "nav", "main", "aside", "dt", "dd",
            "form", "fieldset", "center", "caption", "details", "summary",
        };

    public static string ToPlainText(string html, CancellationToken cancellationToken = default) =>
        ToPlainText(html, ReadLimits.Default, cancellationToken);

    public static string ToPlainText(string html, ReadLimits limits, CancellationToken cancellationToken = default)
    {
        if (TextOnlyReason(html, limits) is not null)
        {
            return StripTags(html);
        }

        var document = new HtmlParser().ParseDocument(html);
        var root = (INode?)document.Body ?? document.DocumentElement;
        if (root is null)
        {
            return "";
        }

        var output = new Output();
        var stack = new Stack<Frame>();
        // Numbers of ordered-list items by list: asking each item for its index among its
        // siblings costs the square of a long list.
        var listNumbers = new Dictionary<INode, int>(ReferenceEqualityComparer.Instance);
        var visited = 0;
        PushChildren(stack, root);
        while (stack.Count > 0)
        {
            if ((++visited & 0x3FF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var frame = stack.Pop();
            if (frame.Exiting)
            {
                Exit((IElement)frame.Node, frame.Start, output);
                continue;
            }

            switch (frame.Node)
            {
                case IText text:
                    output.Text(text.Data);
                    break;
                case IElement element when !Skipped.Contains(element.LocalName):
                    Enter(element, output, listNumbers);
                    stack.Push(new Frame(element, Exiting: true, output.Length));
                    PushChildren(stack, element);
                    break;
            }
        }

        return output.ToString();
    }

    /// <summary>True when the HTML is shown as text only; see <see cref="TextOnlyReason"/>.</summary>
    public static bool IsTooDeep(string html) => TextOnlyReason(html, ReadLimits.Default) is not null;

    /// <summary>
    /// Why this HTML is not parsed as HTML, or null when it may be: larger than
    /// <see cref="ReadLimits.MaxHtmlSize"/>, more tags than <see cref="ReadLimits.MaxHtmlTags"/>
    /// (AngleSharp serialises an element in time that grows with the square of its children), or
    /// start tags nested deeper than <see cref="ReadLimits.MaxHtmlNesting"/> (HTML5 tree building
    /// is quadratic in depth). Such HTML is an attack or a document, not a mail to lay out.
    /// One linear scan, no parsing: each search for a tag's end resumes where the last one ended.
    /// </summary>
    public static string? TextOnlyReason(string html, ReadLimits limits)
    {
        if (html.Length > limits.MaxHtmlSize)
        {
            return $"its HTML is larger than {ByteSize.Format(limits.MaxHtmlSize)}";
        }

        var depth = 0;
        var tags = 0;
        var i = 0;
        var nextClose = -1; // the first '>' at or after the current position, once searched
        while ((i = html.IndexOf('<', i)) >= 0 && i + 1 < html.Length)
        {
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var close = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = close < 0 ? html.Length : close + 3;
                continue;
            }

            var isEnd = html[i + 1] == '/';
            var nameStart = isEnd ? i + 2 : i + 1;
            var nameEnd = nameStart;
            while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
            {
                nameEnd++;
            }

            if (nextClose < nameEnd && nextClose != int.MaxValue)
            {
                nextClose = html.IndexOf('>', nameEnd);
                nextClose = nextClose < 0 ? int.MaxValue : nextClose;
            }

            if (nextClose == int.MaxValue)
            {
                // No '>' anywhere after: no further tag can end.
                break;
            }

            var tagEnd = nextClose;
            if (nameEnd == nameStart || !char.IsAsciiLetter(html[nameStart]))
            {
                i++;
                continue;
            }

            if (++tags > limits.MaxHtmlTags)
            {
                return $"its HTML has more than {limits.MaxHtmlTags:N0} tags";
            }

            if (!NonNesting.Contains(html[nameStart..nameEnd]))
            {
                if (isEnd)
                {
                    depth = Math.Max(0, depth - 1);
                }
                else if (html[tagEnd - 1] != '/' && ++depth > limits.MaxHtmlNesting)
                {
                    return $"its HTML nests deeper than {limits.MaxHtmlNesting} levels";
                }
            }

            i = tagEnd + 1;
        }

        return null;
    }

    /// <summary>
    /// The words of HTML that is not parsed: tags dropped, entities decoded, one line per original
    /// line. Linear: a '&lt;' with no '&gt;' after it is kept as text, never searched for again.
    /// </summary>
    internal static string StripTags(string html)
    {
        var builder = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var open = html.IndexOf('<', i);
            if (open < 0)
            {
                builder.Append(html, i, html.Length - i);
                break;
            }

            builder.Append(html, i, open - i);
            var close = html.IndexOf('>', open + 1);
            if (close < 0)
            {
                builder.Append(html, open, html.Length - open);
                break;
            }

            builder.Append(' ');
            i = close + 1;
        }

        var text = WebUtility.HtmlDecode(builder.ToString());
        var lines = text.Split('\n').Select(line => Spaces().Replace(line, " ").Trim()).Where(line => line.Length > 0);
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"[ \t\r\f\v\u00a0]+")]
    private static partial Regex Spaces();

    private static void PushChildren(Stack<Frame> stack, INode node)
    {
        for (var i = node.ChildNodes.Length - 1; i >= 0; i--)
        {
            stack.Push(new Frame(node.ChildNodes[i], Exiting: false, 0));
        }
    }

    private static void Enter(IElement element, Output output, Dictionary<INode, int> listNumbers)
    {
        var name = element.LocalName;
        if (Paragraphs.Contains(name))
        {
            output.Break(2);
        }
        else if (Lines.Contains(name))
        {
            output.Break(1);
        }

        switch (name)
        {
            case "br":
                output.NewLine();
                break;
            case "li":
                if (element.ParentElement is { LocalName: "ol" } list)
                {
                    var number = listNumbers.GetValueOrDefault(list) + 1;
                    listNumbers[list] = number;
                    output.Text($"{number}. ", preserve: true);
                }
                else
                {
                    output.Text("- ", preserve: true);
                }

                break;
            case "blockquote":
                output.QuoteDepth++;
                break;
            case "pre":
                output.PreDepth++;
                break;
        }
    }

    private static void Exit(IElement element, int start, Output output)
    {
        var name = element.LocalName;
        switch (name)
        {
            case "blockquote":
                output.QuoteDepth--;
                break;
            case "pre":
                output.PreDepth--;
                break;
            case "td" or "th":
                output.Text(" ");
                break;
            case "a":
                // Keep where a link goes when its text does not already say so: a post has no
                // markup to hide the target behind.
                var href = element.GetAttribute("href")?.Trim();
                var label = output.Since(start).Trim();
                if (href is not null
                    && (href.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                        || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                    && label.Length > 0
                    && !string.Equals(label, href, StringComparison.OrdinalIgnoreCase)
                    && !href.EndsWith(label, StringComparison.OrdinalIgnoreCase))
                {
                    output.Text($" ({href})", preserve: true);
                }

                break;
        }

        if (Paragraphs.Contains(name))
        {
            output.Break(2);
        }
        else if (Lines.Contains(name))
        {
            output.Break(1);
        }
    }

    private readonly record struct Frame(INode Node, bool Exiting, int Start);

    /// <summary>Collapses whitespace like a browser and lays out line breaks lazily.</summary>
    private sealed class Output
    {
        private readonly StringBuilder _text = new();
        private int _pendingBreaks;
        private int _trailingNewLines;
        private bool _atLineStart = true;
        private bool _pendingSpace;

        public int QuoteDepth { get; set; }
        public int PreDepth { get; set; }
        public int Length => _text.Length;

        public string Since(int start) => start <= _text.Length ? _text.ToString(start, _text.Length - start) : "";

        public void Break(int newLines)
        {
            _pendingBreaks = Math.Max(_pendingBreaks, newLines);
            _pendingSpace = false;
        }

        public void NewLine()
        {
            if (_text.Length == 0)
            {
                return;
            }

            FlushBreaks();
            while (_text.Length > 0 && _text[^1] == ' ')
            {
                _text.Length--;
            }

            _text.Append('\n');
            _trailingNewLines++;
            _atLineStart = true;
            _pendingSpace = false;
        }

        public void Text(string text, bool preserve = false)
        {
            foreach (var c in text)
            {
                if (PreDepth > 0 || preserve)
                {
                    if (c == '\n')
                    {
                        NewLine();
                    }
                    else if (c != '\r')
                    {
                        Write(c);
                    }
                }
                else if (char.IsWhiteSpace(c))
                {
                    _pendingSpace |= !_atLineStart;
                }
                else
                {
                    if (_pendingSpace && _pendingBreaks == 0)
                    {
                        Write(' ');
                    }

                    _pendingSpace = false;
                    Write(c);
                }
            }
        }

        private void Write(char c)
        {
            FlushBreaks();
            if (_atLineStart)
            {
                for (var i = 0; i < QuoteDepth; i++)
                {
                    _text.Append("> ");
                }
            }

            _text.Append(c);
            _atLineStart = false;
            _trailingNewLines = 0;
        }

        private void FlushBreaks()
        {
            var wanted = _pendingBreaks;
            _pendingBreaks = 0;
            if (_text.Length == 0)
            {
                return;
            }

            if (!_atLineStart && wanted > 0)
            {
                _text.Append('\n');
                _trailingNewLines = 1;
                _atLineStart = true;
            }

            while (_trailingNewLines < wanted)
            {
                _text.Append('\n');
                _trailingNewLines++;
            }
        }

        public override string ToString()
        {
            var lines = _text.ToString().Split('\n').Select(line => line.TrimEnd());
            return string.Join('\n', lines).Trim('\n');
        }
    }
}
