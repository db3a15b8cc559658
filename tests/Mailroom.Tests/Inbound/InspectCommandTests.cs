using System.Text.Json;
using Mailroom.Inbound;

namespace Mailroom.Tests.Inbound;

public class InspectCommandTests
{
    [Fact]
    public void Inspect_PrintsWhatMailroomMakesOfTheMail()
    {
        var (code, stdout, stderr) = Run(EmailFixtures.FullPath("discourse/encoded_filename.eml"));

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("message", root.GetProperty("kind").GetString());
        Assert.Equal("ordinary message", root.GetProperty("reason").GetString());
        Assert.Equal("xxxxxxxxx.xxxxxxx@gmail.com", root.GetProperty("from").GetString());
        Assert.Equal("Fwd: Signed email causes file attachments", root.GetProperty("subject").GetString());
        Assert.StartsWith("We should not include these files", root.GetProperty("text").GetString(), StringComparison.Ordinal);
        // A forward with a comment: the comment is the new content, the forwarded mail is folded.
        Assert.Equal("We should not include these files or vcards as attachments.", root.GetProperty("visible").GetString());
        Assert.StartsWith("---------- Forwarded message ----------", root.GetProperty("quoted").GetString(), StringComparison.Ordinal);
        Assert.Equal("e85734b90505081209eaaa17b@mail.gmail.com", root.GetProperty("messageId").GetString());
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray());
        Assert.Equal("This is a test.pdf", attachment.GetProperty("name").GetString());
        Assert.Equal("application/pdf", attachment.GetProperty("type").GetString());
        Assert.True(attachment.GetProperty("size").GetInt64() > 0);
        Assert.True(attachment.GetProperty("kept").GetBoolean());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("reason").ValueKind);
    }

    [Fact]
    public void Inspect_WithASmallLimit_ShowsTheAttachmentLeftOut()
    {
        var (code, stdout, _) = Run(EmailFixtures.FullPath("discourse/inline_image.eml"), "--max-attachment-size", "1024");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var attachment = Assert.Single(json.RootElement.GetProperty("attachments").EnumerateArray());
        Assert.False(attachment.GetProperty("kept").GetBoolean());
        Assert.Equal("larger than the 1 KB limit (2.2 KB)", attachment.GetProperty("reason").GetString());
    }

    [Fact]
    public void Inspect_KeepsNonAsciiTextReadable()
    {
        var (code, stdout, _) = Run(EmailFixtures.FullPath("discourse/hebrew.eml"));

        Assert.Equal(0, code);
        Assert.Contains("\"text\": \"שלום\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_MalformedMail_IsStillASuccessfulInspection()
    {
        var (code, stdout, _) = Run(EmailFixtures.FullPath("discourse/no_from.eml"));

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("malformed", json.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public void Inspect_MissingFile_Exits2AndSaysWhich()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.eml");

        var (code, stdout, stderr) = Run(missing);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.eml b.eml")]
    [InlineData("a.eml --max-attachment-size")]
    [InlineData("a.eml --max-attachment-size five")]
    [InlineData("a.eml --max-attachment-size=-1")]
    [InlineData("a.eml --verbose")]
    public void Inspect_WrongArguments_Exit2WithUsage(string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = InspectCommand.Run(args, stdout, stderr);

        Assert.Equal(2, code);
        Assert.Equal("", stdout.ToString());
        Assert.Contains("usage: mailroom inspect", stderr.ToString(), StringComparison.Ordinal);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = InspectCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
