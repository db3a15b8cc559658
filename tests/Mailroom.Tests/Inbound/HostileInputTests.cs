using System.Diagnostics;
using Mailroom.Hostile;
using Mailroom.Inbound;

namespace Mailroom.Tests.Inbound;

/// <summary>
/// Every shape of hostile mail (bench/hostile generates them) is read within the processing
/// budget, whatever its size up to the largest message the listener accepts, and comes back
/// with a sensible answer: a message (or, for a header block no mail has, malformed), with a
/// note when a limit was reached. The linearity itself is measured by bench/hostile, not here.
/// </summary>
public class HostileInputTests
{
    private static readonly TimeSpan Budget = new InboundOptions().ProcessingBudget;

    public static TheoryData<string> Shapes() => [.. HostileMail.Shapes];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void HostileShapeOf4MB_IsReadWithinTheBudget(string shape)
    {
        var read = ReadTimed(shape, 4 * 1024 * 1024, out var elapsed);

        Assert.True(elapsed < Budget, $"{shape}: {elapsed.TotalSeconds:F1} s");
        Assert.Contains(read.Kind, new[] { "message", "malformed" });
        Assert.True(read.Text.Length <= ReadLimits.Default.MaxTextLength, $"{shape}: {read.Text.Length} characters of text");
    }

    [Theory]
    [InlineData("html-plain")]
    [InlineData("many-parts")]
    [InlineData("long-header")]
    [InlineData("html-deep-div")]
    [InlineData("bad-qp")]
    [InlineData("many-attachments")]
    [InlineData("long-line")]
    public void HostileShapeOfTheMaximumMessageSize_IsReadWithinTheBudget(string shape)
    {
        var read = ReadTimed(shape, 50 * 1024 * 1024 - 64 * 1024, out var elapsed);

        Assert.True(elapsed < Budget, $"{shape}: {elapsed.TotalSeconds:F1} s");
        Assert.Contains(read.Kind, new[] { "message", "malformed" });
    }

    [Fact]
    public void HtmlOverTheTagLimit_IsShownAsTextWithANote()
    {
        var read = new MessageReader(5 * 1024 * 1024).Read(HostileMail.Generate("html-plain", 1024 * 1024));

        Assert.Null(read.SanitizedHtml);
        Assert.Contains("The quarterly figures are here", read.Text);
        Assert.Contains(read.Notes, n => n.Contains("shown as text only") && n.Contains("tags"));
    }

    [Fact]
    public void MoreThanMaxParts_TheRestAreLeftOutWithANote()
    {
        var read = new MessageReader(5 * 1024 * 1024).Read(HostileMail.Generate("many-attachments", 2 * 1024 * 1024));

        Assert.Equal("message", read.Kind);
        Assert.InRange(read.Attachments.Count, 1, ReadLimits.Default.MaxParts);
        Assert.Contains(read.Notes, n => n.Contains("parts") && n.Contains("left out"));
    }

    [Fact]
    public void HugeHeaderBlock_IsKeptAsMalformedWithTheReason()
    {
        var read = new MessageReader(5 * 1024 * 1024).Read(HostileMail.Generate("long-header", 4 * 1024 * 1024));

        Assert.Equal("malformed", read.Kind);
        Assert.Contains("header block is larger than", read.Reason);
    }

    [Fact]
    public void HugeHeaderInANestedPart_ThatPartOnIsLeftOutWithANote_TheTextBeforeItIsKept()
    {
        // MimeKit's header buffer grows in the square of one header's length: a 4 MB header inside a
        // part took tens of seconds before the scan cut the message at that part's boundary.
        var raw = new System.Text.StringBuilder()
            .Append("From: a@example.test\r\nSubject: nested\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n")
            .Append("--b\r\nContent-Type: text/plain\r\n\r\nThe figures are below.\r\n")
            .Append("--b\r\nContent-Type: text/plain\r\nX-Filler: ").Append('x', 4 * 1024 * 1024).Append("\r\n\r\nhidden\r\n--b--\r\n")
            .ToString();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var read = new MessageReader(5 * 1024 * 1024).Read(System.Text.Encoding.ASCII.GetBytes(raw));

        Assert.Equal("message", read.Kind);
        Assert.Equal("The figures are below.", read.Text.Trim());
        Assert.Contains(read.Notes, n => n.Contains("header block larger than"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"read in {watch.Elapsed}");
    }

    [Fact]
    public void LongText_IsCutAtTheLimitWithANote()
    {
        var read = new MessageReader(5 * 1024 * 1024).Read(HostileMail.Generate("plain", 3 * 1024 * 1024));

        Assert.InRange(read.Text.Length, ReadLimits.Default.MaxTextLength * 9 / 10, ReadLimits.Default.MaxTextLength);
        Assert.StartsWith("The quarterly figures", read.Text);
        Assert.Contains(read.Notes, n => n.Contains("text was cut"));
    }

    [Fact]
    public void Reading_StopsWhenCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new MessageReader(5 * 1024 * 1024).Read(HostileMail.Generate("html-plain", 64 * 1024), cancelled.Token));
    }

    private static ReadMessage ReadTimed(string shape, int size, out TimeSpan elapsed)
    {
        var raw = HostileMail.Generate(shape, size);
        var watch = Stopwatch.StartNew();
        var read = new MessageReader(5 * 1024 * 1024).Read(raw);

        // Replies to a list or task are split into new text and quote: part of the processing.
        _ = read.Visible;
        elapsed = watch.Elapsed;
        return read;
    }
}
