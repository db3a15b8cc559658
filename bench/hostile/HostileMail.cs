using System.Text;

namespace Mailroom.Hostile;

/// <summary>
/// Generates emails of a given size in the shapes that attack a mail reader: every shape grows
/// by repeating one unit, so a step that is quadratic in some dimension of the message (nesting,
/// parts, headers, line length, quote levels…) shows as a ratio to <c>plain</c> that grows with
/// the size. Shared by the hostile-input benchmark and the tests (linked into both).
/// </summary>
public static class HostileMail
{
    /// <summary>Every shape, <c>plain</c> (the reference) first.</summary>
    public static readonly IReadOnlyList<string> Shapes =
    [
        "plain", "html-plain", "html-unclosed", "html-malformed", "html-deep-div", "html-deep-blockquote", "html-deep-table",
        "html-formatting", "html-giant-attribute", "html-long-word", "html-many-cid", "html-quote-containers",
        "many-parts", "many-headers", "long-header", "long-line", "long-line-html", "quote-levels", "many-quotes",
        "attributions", "bad-base64", "bad-qp", "unknown-charset", "invalid-utf8", "deep-multipart", "many-attachments",
    ];

    private const string Head = "From: Hostile <hostile@example.test>\r\nTo: group@mailroom.test\r\nSubject: hostile {0}\r\nMessage-ID: <{1}@example.test>\r\nDate: Tue, 01 Dec 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\n";

    /// <summary>About <paramref name="size"/> bytes of the named shape.</summary>
    public static byte[] Generate(string shape, int size)
    {
        var head = string.Format(System.Globalization.CultureInfo.InvariantCulture, Head, shape, Guid.NewGuid().ToString("N"));
        var text = shape switch
        {
            "plain" => head + Plain() + Repeat("The quarterly figures are attached; please review them before Monday's meeting.\r\n", size),
            "html-plain" => head + Html() + Wrap(Repeat("<p>The quarterly <b>figures</b> are <a href=\"https://example.test/x\">here</a>.</p>\r\n", size)),
            "html-unclosed" => head + Html() + Repeat("<div><span><font color=red><a href=\"https://x.test/\"><b>text ", size),
            "html-malformed" => head + Html() + Repeat("</p><<b>>&#x;&amp<a href='x <td></tr></table></b></i><!-- - -><![CDATA[ x<\r\n", size),
            "html-deep-div" => head + Html() + Nest("<div>", "</div>", "deep", size),
            "html-deep-blockquote" => head + Html() + Nest("<blockquote type=\"cite\">", "</blockquote>", "deep", size),
            "html-deep-table" => head + Html() + Nest("<table><tr><td>", "</td></tr></table>", "deep", size),
            "html-formatting" => head + Html() + Repeat("<b><i><u><s><em><strong><font><small><big><code><tt><nobr>x</p>", size),
            "html-giant-attribute" => head + Html() + "<div title=\"" + Repeat("a", size) + "\">text</div>\r\n",
            "html-long-word" => head + Html() + "<p>" + Repeat("x", size) + "</p>\r\n",
            "html-many-cid" => ManyCid(head, size),
            "html-quote-containers" => head + Html() + Repeat("<div>new words</div><div class=\"gmail_quote\"><blockquote type=\"cite\">quoted</blockquote></div>\r\n", size),
            "many-parts" => ManyParts(head, size, attachment: false),
            "many-attachments" => ManyParts(head, size, attachment: true),
            "many-headers" => head.Replace("MIME-Version: 1.0\r\n", "") + Repeat("X-Filler: some header value\r\n", size) + "MIME-Version: 1.0\r\n" + Plain() + "body\r\n",
            "long-header" => head.Replace("Subject: hostile long-header\r\n", "Subject: " + Repeat("wordy ", size) + "\r\n") + Plain() + "body\r\n",
            "long-line" => head + Plain() + Repeat("x", size) + "\r\n",
            "long-line-html" => head + Html() + "<p>" + Repeat("a b ", size) + "</p>\r\n",
            "quote-levels" => head + Plain() + "New words on top.\r\n\r\n" + Repeat(">", size) + " deep\r\n",
            "many-quotes" => head + Plain() + "New words.\r\n" + Repeat("> > quoted line\r\nanswer\r\n", size),
            "attributions" => head + Plain() + Repeat("On Mon, 1 Feb 2016 at 10:00, Some One <some@one.test> wrote:\r\n> text\r\n", size),
            "bad-base64" => head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Repeat("!!@@==QUJD==\r\nx=y=z\r\n", size),
            "bad-qp" => head + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + Repeat("=ZZ=\r\n=3<b>=E2=82</b>=\r\n", size),
            "unknown-charset" => head + "Content-Type: text/html; charset=x-no-such-charset\r\n\r\n" + Repeat("<p>caf\u00e9 \u00e9t\u00e9</p>\r\n", size),
            "invalid-utf8" => head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + Repeat("caf\u00ff\u00fe\u00c3( \u00f0\u0028\u008c\u0028 text\r\n", size),
            "deep-multipart" => DeepMultipart(head, size),
            _ => throw new ArgumentException($"unknown shape {shape}", nameof(shape)),
        };

        // Latin-1 keeps one byte per char, so "invalid-utf8" really carries invalid UTF-8 bytes.
        return Encoding.Latin1.GetBytes(text);
    }

    private static string Plain() => "Content-Type: text/plain; charset=utf-8\r\n\r\n";

    private static string Html() => "Content-Type: text/html; charset=utf-8\r\n\r\n";

    private static string Wrap(string body) => "<html><body>" + body + "</body></html>\r\n";

    private static string Repeat(string unit, int size)
    {
        var builder = new StringBuilder(size + unit.Length);
        while (builder.Length < size)
        {
            builder.Append(unit);
        }

        return builder.ToString();
    }

    /// <summary>Opens until half the size is used, then closes as many (properly nested).</summary>
    private static string Nest(string open, string close, string inner, int size)
    {
        var count = Math.Max(1, size / (open.Length + close.Length));
        var builder = new StringBuilder(size + inner.Length);
        for (var i = 0; i < count; i++)
        {
            builder.Append(open);
        }

        builder.Append(inner);
        for (var i = 0; i < count; i++)
        {
            builder.Append(close);
        }

        return builder.Append("\r\n").ToString();
    }

    private static string ManyParts(string head, int size, bool attachment)
    {
        var builder = new StringBuilder(head).Append("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        var i = 0;
        while (builder.Length < size)
        {
            builder.Append("--b\r\n");
            builder.Append(attachment
                ? $"Content-Type: application/octet-stream; name=\"f{i}.bin\"\r\nContent-Disposition: attachment; filename=\"f{i}.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\nQUJDREVGR0g=\r\n"
                : $"Content-Type: text/plain\r\n\r\npart {i}\r\n");
            i++;
        }

        return builder.Append("--b--\r\n").ToString();
    }

    private static string ManyCid(string head, int size)
    {
        var builder = new StringBuilder(head).Append("Content-Type: multipart/related; boundary=\"r\"\r\n\r\n--r\r\n").Append(Html());
        var count = Math.Max(1, size / 200);
        for (var i = 0; i < count; i++)
        {
            builder.Append($"<img src=\"cid:img{i}@x\" alt=\"i\">");
        }

        builder.Append("\r\n");
        for (var i = 0; i < count; i++)
        {
            builder.Append($"--r\r\nContent-Type: image/png\r\nContent-ID: <img{i}@x>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n");
        }

        return builder.Append("--r--\r\n").ToString();
    }

    private static string DeepMultipart(string head, int size)
    {
        var builder = new StringBuilder(head);
        var i = 0;
        while (builder.Length < size)
        {
            builder.Append($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
            i++;
        }

        return builder.Append(Plain()).Append("innermost\r\n").ToString();
    }
}
