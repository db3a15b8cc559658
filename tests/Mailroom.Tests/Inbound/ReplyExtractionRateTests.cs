using System.Text;
using System.Text.RegularExpressions;
using Mailroom.Inbound;
using Xunit.Abstractions;

namespace Mailroom.Tests.Inbound;

/// <summary>
/// Measures the reply extractor on every corpus row that has an expected visible text, and fails
/// below 90% exact matches. Bodies (the reply trimmer and reply parser corpora) go to
/// <see cref="ReplyExtractor.FromText"/>; raw messages are read by <see cref="MessageReader"/>
/// and its <see cref="ReadMessage.Visible"/> is compared.
/// </summary>
/// <remarks>
/// Comparison after normalisation (<see cref="Normalise"/>): line endings to LF, trailing spaces
/// of each line dropped, runs of blank lines collapsed to one, start and end trimmed. Discourse
/// expectations are Markdown made from HTML, where Mailroom renders plain text, so for those rows
/// both sides also lose Markdown emphasis (<c>**x**</c>, <c>*x*</c> → <c>x</c>) and link syntax
/// (<c>[text](url)</c> → <c>text</c>, and the <c>text (url)</c> HtmlText writes → <c>text</c>),
/// and all whitespace runs become one space: same words in the same order.
/// </remarks>
public partial class ReplyExtractionRateTests(ITestOutputHelper output)
{
    private const long FiveMegabytes = 5 * 1024 * 1024;
    private const double RequiredRate = 0.90;

    [Fact]
    public void Corpus_ExactMatchRate_IsAtLeast90Percent()
    {
        var rows = EmailFixtures.Manifest.Where(row => row.ExpectedTextFile is not null).ToList();
        Assert.NotEmpty(rows);

        var matches = 0;
        foreach (var row in rows)
        {
            var expected = File.ReadAllText(EmailFixtures.FullPath(row.ExpectedTextFile!), Encoding.UTF8);
            var got = Visible(row.Path);
            var markdown = row.Path.StartsWith("discourse/", StringComparison.Ordinal);
            if (Normalise(expected, markdown) == Normalise(got, markdown))
            {
                matches++;
                continue;
            }

            output.WriteLine($"MISMATCH {row.Path}\n--- expected\n{expected}\n--- got\n{got}\n");
        }

        var rate = (double)matches / rows.Count;
        output.WriteLine($"exact matches: {matches}/{rows.Count} ({rate:P1})");
        Assert.True(rate >= RequiredRate, $"reply extraction matched {matches}/{rows.Count} ({rate:P1}), below {RequiredRate:P0}");
    }

    private static bool IsBody(string path) =>
        path.StartsWith("email_reply_trimmer/", StringComparison.Ordinal)
        || path.StartsWith("email_reply_parser/", StringComparison.Ordinal);

    private static string Visible(string path)
    {
        if (IsBody(path))
        {
            return ReplyExtractor.FromText(File.ReadAllText(EmailFixtures.FullPath(path), Encoding.UTF8)).Visible;
        }

        return new MessageReader(FiveMegabytes).Read(EmailFixtures.Bytes(path)).Visible;
    }

    /// <summary>The comparison's normalisation; see the class remarks.</summary>
    internal static string Normalise(string text, bool markdown)
    {
        if (markdown)
        {
            text = MarkdownLink().Replace(text, "$1");
            text = TextThenUrl().Replace(text, "$1");
            text = Strong().Replace(text, "$1");
            text = Emphasis().Replace(text, "$1");
        }

        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').Select(line => line.TrimEnd());
        var collapsed = BlankRuns().Replace(string.Join('\n', lines), "\n\n").Trim();
        return markdown ? Whitespace().Replace(collapsed, " ") : collapsed;
    }

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(\S) \(https?://[^)\s]+\)")]
    private static partial Regex TextThenUrl();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Strong();

    [GeneratedRegex(@"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankRuns();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
