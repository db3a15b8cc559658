using System.Text.RegularExpressions;
using Mailroom.Inbound;

namespace Mailroom.Tests.Inbound;

/// <summary>
/// Every raw message of the shared corpus (expectations.tsv), read as Mailroom reads inbound mail.
/// The manifest's category gives the expected kind; <see cref="Departures"/> lists where Mailroom's
/// own rules (PRODUCT.md, fixtures README "Where Mailroom's rules differ") decide otherwise, and why.
/// </summary>
public partial class MessageReaderFixtureTests
{
    private const long FiveMegabytes = 5 * 1024 * 1024;

    /// <summary>A fixture whose Mailroom kind is not the one its manifest category implies.</summary>
    public sealed record Departure(string Kind, string Why, string[]? AllowList = null);

    public static readonly IReadOnlyDictionary<string, Departure> Departures = new Dictionary<string, Departure>
    {
        // Mailroom's rules, differing from the sources' (fixtures README).
        ["discourse/auto_generated_precedence.eml"] = new(
            "message",
            "Precedence: list is mailing-list mail, not an automatic reply: a newsletter feeding a group is feature A8"),
        ["discourse/auto_generated_allowlisted.eml"] = new(
            "message",
            "Auto-Submitted from a sender on the integration's allow-list is welcome (MessageReaderTests covers the same mail without the list)",
            AllowList: ["discourse@bar.com"]),
        ["mimekit/messages/disposition-notification.txt"] = new(
            "bounce",
            "read receipts (MDN) are delivery reports for Mailroom: logged with their reason, never posted"),

        // The manifest's malformed rows, decided one by one.
        ["discourse/no_from.eml"] = new(
            "malformed",
            "no From, Sender, Reply-To or Return-Path: a post's author is the sender's address (A3), there is none"),
        ["discourse/no_body.eml"] = new(
            "message",
            "the sender is known, so the mail is read (reason says it is empty); whether to post an empty mail is the router's call"),
        ["discourse/missing_message_id.eml"] = new(
            "message",
            "a missing Message-ID loses nothing: the inbound store identifies mail by its own id"),
        ["discourse/no_date.eml"] = new(
            "message",
            "a missing Date is replaced by the arrival time; the text is readable"),
        ["mimekit/messages/empty-multipart.txt"] = new("message", "lenient: sender and text present, an empty alternative is ignored"),
        ["mimekit/messages/issue358.txt"] = new("message", "lenient: a badly folded header does not hide the body"),
        ["mimekit/messages/missing-subtype.txt"] = new("message", "lenient: the subtype-less part becomes an octet-stream attachment"),
        ["mimekit/messages/stack-overflow.txt"] = new("message", "lenient: thousands of broken encoded words in To do not matter to a post"),

        // Not mail from anybody.
        ["mimekit/messages/multipart-related-mhtml.txt"] = new(
            "malformed",
            "a saved web page (MHTML): no sender at all, so nothing to attribute a post to"),
    };

    public static TheoryData<string> MessageFixtures => new(EmailFixtures.MessageRows.Select(row => row.Path));

    [Fact]
    public void Manifest_ListsTheRawMessagesOfTheCorpus()
    {
        var rows = EmailFixtures.MessageRows.ToList();

        Assert.True(rows.Count >= 70, $"only {rows.Count} message rows in expectations.tsv");
        Assert.All(rows, row => Assert.True(File.Exists(EmailFixtures.FullPath(row.Path)), $"{row.Path} is missing"));
        Assert.All(Departures.Keys, path => Assert.Contains(rows, row => row.Path == path));
    }

    [Theory]
    [MemberData(nameof(MessageFixtures))]
    public void Fixture_IsReadAsMailroomRulesSay(string path)
    {
        var row = EmailFixtures.Manifest.Single(r => r.Path == path);
        Departures.TryGetValue(path, out var departure);
        var reader = new MessageReader(FiveMegabytes, departure?.AllowList);
        var expectedKind = departure?.Kind ?? row.Category switch
        {
            "auto-reply" => "auto-reply",
            "bounce" => "bounce",
            _ => "message",
        };

        var messages = EmailFixtures.RawMessages(path);
        Assert.NotEmpty(messages);
        foreach (var raw in messages)
        {
            var read = reader.Read(raw);

            // Read never throws, but it must not have needed its last-resort catch either.
            Assert.DoesNotContain("could not be read", read.Reason, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(read.Reason));
            Assert.True(expectedKind == read.Kind, $"{path}: expected {expectedKind} ({departure?.Why ?? row.Category}), got {read.Kind}: {read.Reason}");

            if (departure is null && row.Category is "reply" or "new-message" or "html-only" or "encoding")
            {
                Assert.False(string.IsNullOrWhiteSpace(read.Text), $"{path}: no text");
            }

            if (expectedKind == "message")
            {
                Assert.False(string.IsNullOrWhiteSpace(read.FromAddress), $"{path}: no sender");
            }

            Assert.All(read.Attachments, a => Assert.Equal(a.Kept, a.Content is not null));
        }
    }

    /// <summary>
    /// Quote stripping is not built yet, so the whole expected text is not required; its first
    /// line must be there, which is what proves the charset was decoded right (Big5, Hebrew,
    /// 8-bit ISO-8859-1, an unknown UTF-7 label, format=flowed…). Discourse writes its
    /// expectations as Markdown, so emphasis marks are ignored on both sides.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixturesWithExpectedText))]
    public void Fixture_TextStartsWithTheSendersFirstLine(string path)
    {
        var row = EmailFixtures.Manifest.Single(r => r.Path == path);
        var expected = File.ReadAllText(EmailFixtures.FullPath(row.ExpectedTextFile!));
        var firstLine = expected.Split('\n').Select(Normalise).FirstOrDefault(line => line.Length > 0);
        Assert.NotNull(firstLine);

        var read = new MessageReader(FiveMegabytes).Read(EmailFixtures.Bytes(path));

        Assert.Contains(firstLine, Normalise(read.Text), StringComparison.Ordinal);
    }

    public static TheoryData<string> FixturesWithExpectedText => new(PathsWithExpectedText());

    private static IEnumerable<string> PathsWithExpectedText() =>
        EmailFixtures.MessageRows.Where(row => row.ExpectedTextFile is not null).Select(row => row.Path);

    [Fact]
    public void EncodingRows_AllHaveTheirFirstLineChecked()
    {
        // The charset cases are the point of the check above: make sure none slips out of it.
        var encodingRows = EmailFixtures.MessageRows.Where(row => row.Category == "encoding" && row.ExpectedTextFile is not null).ToList();

        Assert.True(encodingRows.Count >= 5);
        Assert.All(encodingRows, row => Assert.Contains(row.Path, PathsWithExpectedText()));
    }

    private static string Normalise(string text) => WhiteSpace().Replace(text.Replace("*", "").Replace("#", ""), " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
