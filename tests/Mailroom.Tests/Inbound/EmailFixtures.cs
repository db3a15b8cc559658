using MimeKit;

namespace Mailroom.Tests.Inbound;

/// <summary>
/// The shared email corpus (tests/fixtures/emails, copied next to the test assembly) and its
/// manifest, expectations.tsv.
/// </summary>
internal static class EmailFixtures
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures", "emails");

    /// <summary>One manifest row.</summary>
    public sealed record Row(string Path, string Category, string? ExpectedTextFile, string Notes)
    {
        public override string ToString() => Path;
    }

    public static IReadOnlyList<Row> Manifest { get; } = LoadManifest();

    /// <summary>
    /// Rows that are whole messages (or mbox files of them). Left out: the reply trimmer and
    /// reply parser corpora are bare bodies for the quote stripper, and zulip/subjects.json is
    /// a list of subject pairs.
    /// </summary>
    public static IEnumerable<Row> MessageRows => Manifest.Where(row =>
        !row.Path.StartsWith("email_reply_trimmer/", StringComparison.Ordinal)
        && !row.Path.StartsWith("email_reply_parser/", StringComparison.Ordinal)
        && !row.Path.EndsWith(".json", StringComparison.Ordinal));

    public static string FullPath(string relative) => System.IO.Path.Combine(Root, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(FullPath(relative));

    public static bool IsMbox(string relative) => relative.Contains(".mbox", StringComparison.Ordinal);

    /// <summary>The raw bytes of each message in the fixture: one, or every message of an mbox.</summary>
    public static IReadOnlyList<byte[]> RawMessages(string relative)
    {
        if (!IsMbox(relative))
        {
            return [Bytes(relative)];
        }

        var messages = new List<byte[]>();
        using var stream = File.OpenRead(FullPath(relative));
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        while (!parser.IsEndOfStream)
        {
            using var one = new MemoryStream();
            parser.ParseMessage().WriteTo(one);
            messages.Add(one.ToArray());
        }

        return messages;
    }

    private static List<Row> LoadManifest()
    {
        var lines = File.ReadAllLines(System.IO.Path.Combine(Root, "expectations.tsv"));
        return lines.Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(cells => new Row(cells[0], cells[1], cells[2].Length == 0 ? null : cells[2], cells.Length > 3 ? cells[3] : ""))
            .ToList();
    }
}
