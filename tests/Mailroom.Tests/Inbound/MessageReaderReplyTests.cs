using Mailroom.Inbound;
using MimeKit;

namespace Mailroom.Tests.Inbound;

/// <summary>
/// <see cref="MessageReader"/> with reply extraction: <see cref="ReadMessage.Text"/> stays the
/// whole text, <see cref="ReadMessage.Visible"/> is the new content and
/// <see cref="ReadMessage.Quoted"/> what was folded away.
/// </summary>
public class MessageReaderReplyTests
{
    private readonly MessageReader _reader = new(5 * 1024 * 1024);

    [Fact]
    public void PlainReply_VisibleIsTheNewText_TextStaysWhole()
    {
        const string body = "Noon works.\n\nOn Tue, Mar 1, 2016 at 6:02 PM, Bob <bob@example.org> wrote:\n> Shall we meet?\n";

        var read = _reader.Read(MessageReaderTests.Serialize(MessageReaderTests.NewMessage(new BodyBuilder { TextBody = body })));

        Assert.Equal("Noon works.", read.Visible);
        Assert.Contains("> Shall we meet?", read.Text, StringComparison.Ordinal);
        Assert.Equal("On Tue, Mar 1, 2016 at 6:02 PM, Bob <bob@example.org> wrote:\n> Shall we meet?", read.Quoted);
    }

    [Fact]
    public void HtmlOnlyGmailReply_QuoteIsRemovedFromVisible()
    {
        const string html = "<div dir=\"ltr\">Noon works.</div><br><div class=\"gmail_quote\"><div class=\"gmail_attr\">"
            + "On Tue, Mar 1, 2016 at 6:02 PM Bob &lt;bob@example.org&gt; wrote:<br></div>"
            + "<blockquote class=\"gmail_quote\">Shall we meet?</blockquote></div>";

        var read = _reader.Read(MessageReaderTests.Serialize(MessageReaderTests.NewMessage(new BodyBuilder { HtmlBody = html })));

        Assert.Equal("Noon works.", read.Visible);
        Assert.Contains("Shall we meet?", read.Text, StringComparison.Ordinal);
        Assert.Contains("Shall we meet?", read.Quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void NewMessage_VisibleEqualsText_NothingQuoted()
    {
        var read = _reader.Read(EmailFixtures.Bytes("discourse/hebrew.eml"));

        Assert.Equal(read.Text, read.Visible);
        Assert.Equal("", read.Quoted);
    }

    [Fact]
    public void DiscourseReply_WithPreviousDiscussion_ShowsOnlyTheReply()
    {
        var read = _reader.Read(EmailFixtures.Bytes("discourse/previous_replies.eml"));

        Assert.Equal("This will not include the previous discussion that is present in this email.", read.Visible);
        Assert.NotEqual("", read.Quoted);
        Assert.StartsWith(read.Visible, read.Text, StringComparison.Ordinal);
    }
}
