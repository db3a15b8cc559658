using System.Text;
using Mailroom.Inbound;
using MimeKit;

namespace Mailroom.Tests.Inbound;

public class MessageReaderTests
{
    private const long FiveMegabytes = 5 * 1024 * 1024;

    private readonly MessageReader _reader = new(FiveMegabytes);

    [Fact]
    public void Attachments_OverTheLimit_AreListedButLeftOutWithTheLimitInTheReason()
    {
        var small = Encoding.UTF8.GetBytes("minutes of the meeting\n");
        var big = new byte[6 * 1024 * 1024];
        new Random(7).NextBytes(big);
        var body = new BodyBuilder { TextBody = "Two files attached." };
        body.Attachments.Add("minutes.txt", small, new ContentType("text", "plain"));
        body.Attachments.Add("video.mp4", big, new ContentType("video", "mp4"));

        var read = _reader.Read(Serialize(NewMessage(body)));

        Assert.Equal("message", read.Kind);
        Assert.Equal("Two files attached.", read.Text);
        Assert.Collection(
            read.Attachments,
            kept =>
            {
                Assert.Equal("minutes.txt", kept.FileName);
                Assert.True(kept.Kept);
                Assert.Null(kept.LeftOutReason);
                Assert.Equal(small, kept.Content);
                Assert.Equal(small.Length, kept.Size);
            },
            leftOut =>
            {
                Assert.Equal("video.mp4", leftOut.FileName);
                Assert.Equal("video/mp4", leftOut.ContentType);
                Assert.False(leftOut.Kept);
                Assert.Null(leftOut.Content);
                Assert.Equal(big.Length, leftOut.Size);
                Assert.Equal("larger than the 5 MB limit (6 MB)", leftOut.LeftOutReason);
            });
    }

    [Fact]
    public void Attachment_JustOverTheLimit_ReasonShowsBytesRatherThanTwoEqualSizes()
    {
        var body = new BodyBuilder { TextBody = "edge" };
        body.Attachments.Add("edge.bin", new byte[FiveMegabytes + 1]);

        var attachment = Assert.Single(_reader.Read(Serialize(NewMessage(body))).Attachments);

        Assert.False(attachment.Kept);
        Assert.Equal("larger than the 5 MB limit (5,242,881 bytes)", attachment.LeftOutReason);
    }

    [Fact]
    public void EncodedFileName_IsDecoded()
    {
        // name==?utf-8?B?…?= — an RFC 2047 word inside a parameter, which RFC 2231 forbids and Gmail sent anyway.
        var read = _reader.Read(EmailFixtures.Bytes("discourse/encoded_filename.eml"));

        var pdf = Assert.Single(read.Attachments);
        Assert.Equal("This is a test.pdf", pdf.FileName);
        Assert.Equal("application/pdf", pdf.ContentType);
        Assert.True(pdf.Kept);
        Assert.Equal(pdf.Size, pdf.Content!.Length);
        Assert.True(pdf.Size > 0);
    }

    [Fact]
    public void Rfc2231FileName_IsDecoded()
    {
        var part = new MimePart("application", "pdf") { Content = new MimeContent(new MemoryStream([1, 2, 3])), FileName = "Résumé — 2025.pdf" };
        var message = NewMessage(new BodyBuilder { TextBody = "cv" });
        message.Body = new Multipart("mixed") { message.Body!, part };
        var raw = Serialize(message, new FormatOptions { ParameterEncodingMethod = ParameterEncodingMethod.Rfc2231 });
        Assert.Contains("filename*=", Encoding.ASCII.GetString(raw), StringComparison.Ordinal);

        var read = _reader.Read(raw);

        Assert.Equal("Résumé — 2025.pdf", Assert.Single(read.Attachments).FileName);
    }

    [Fact]
    public void UnnamedAttachment_GetsANameFromItsType()
    {
        var message = NewMessage(new BodyBuilder { TextBody = "see picture" });
        var image = new MimePart("image", "png") { Content = new MimeContent(new MemoryStream([137, 80, 78, 71])) };
        message.Body = new Multipart("mixed") { message.Body!, image };

        var attachment = Assert.Single(_reader.Read(Serialize(message)).Attachments);

        Assert.Equal("attachment-1.png", attachment.FileName);
        Assert.Equal("image/png", attachment.ContentType);
    }

    [Fact]
    public void AttachmentName_WithAPath_KeepsOnlyTheFileName()
    {
        var message = NewMessage(new BodyBuilder { TextBody = "x" });
        var part = new MimePart("text", "plain") { Content = new MimeContent(new MemoryStream([65])), FileName = @"..\..\windows\boot.ini" };
        message.Body = new Multipart("mixed") { message.Body!, part };

        Assert.Equal("boot.ini", Assert.Single(_reader.Read(Serialize(message)).Attachments).FileName);
    }

    [Fact]
    public void ForwardedMessage_IsOneEmlAttachment_AndItsContentsAreNotTheOuterMails()
    {
        var inner = NewMessage(new BodyBuilder { TextBody = "inner text" });
        inner.Subject = "Quarterly report";
        var innerBody = new BodyBuilder { TextBody = "inner text" };
        innerBody.Attachments.Add("report.xlsx", new byte[100]);
        inner.Body = innerBody.ToMessageBody();
        var outer = NewMessage(new BodyBuilder { TextBody = "FYI, see below." });
        outer.Body = new Multipart("mixed") { outer.Body!, new MessagePart { Message = inner } };

        var read = _reader.Read(Serialize(outer));

        Assert.Equal("FYI, see below.", read.Text);
        var eml = Assert.Single(read.Attachments);
        Assert.Equal("Quarterly report.eml", eml.FileName);
        Assert.Equal("message/rfc822", eml.ContentType);
        Assert.Equal("Quarterly report", MimeMessage.Load(new MemoryStream(eml.Content!)).Subject);
    }

    [Fact]
    public void InlineImage_IsAnAttachmentWithItsContentId()
    {
        var read = _reader.Read(EmailFixtures.Bytes("discourse/inline_image.eml"));

        var logo = Assert.Single(read.Attachments);
        Assert.Equal("logo.png", logo.FileName);
        Assert.Equal("ii_1525434659ddb4cb", logo.ContentId);
        Assert.Contains("cid:ii_1525434659ddb4cb", read.SanitizedHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedBase64Attachment_DecodesWhatIsThere()
    {
        var payload = new byte[30_000];
        new Random(3).NextBytes(payload);
        var body = new BodyBuilder { TextBody = "photo" };
        body.Attachments.Add("photo.jpg", payload);
        var raw = Serialize(NewMessage(body));
        var cut = raw[..(raw.Length - 20_000)];

        var read = _reader.Read(cut);

        Assert.Equal("message", read.Kind);
        var photo = Assert.Single(read.Attachments);
        Assert.InRange(photo.Size, 1, payload.Length - 1);
        Assert.Equal(payload[..100], photo.Content![..100]);
    }

    [Fact]
    public void HtmlOnlyMail_HasReadableTextAndSanitisedHtml()
    {
        const string html = """
            <html><head><style>p { color: red }</style><script>alert('head')</script></head>
            <body onload="steal()">
            <p>Hello team,</p>
            <p>The <b>launch</b> moved to <a href="https://example.com/plan">the new plan</a>.<br>Details:</p>
            <ul><li>Monday: freeze</li><li>Tuesday: ship</li></ul>
            <img src="cid:chart@mail" onerror="steal()" alt="chart">
            <img src="x" onerror="alert(1)">
            <a href="javascript:alert(2)">click</a>
            <iframe src="https://evil.example/"></iframe>
            <form action="https://evil.example/"><input name="password"></form>
            <div style="background-image: url(https://tracker.example/pixel.gif)">tracked</div>
            <script>alert('body')</script>
            <blockquote>On Monday Bob wrote:<br>old stuff</blockquote>
            </body></html>
            """;
        var read = _reader.Read(Serialize(NewMessage(new BodyBuilder { HtmlBody = html })));

        Assert.Equal("message", read.Kind);
        Assert.Equal(
            """
            Hello team,

            The launch moved to the new plan (https://example.com/plan).
            Details:

            - Monday: freeze
            - Tuesday: ship

            click
            tracked

            > On Monday Bob wrote:
            > old stuff
            """,
            read.Text);
        var safe = read.SanitizedHtml!;
        Assert.Contains("the new plan", safe, StringComparison.Ordinal);
        Assert.Contains("src=\"cid:chart@mail\"", safe, StringComparison.Ordinal);
        foreach (var banned in (string[])["<script", "onerror", "onload", "javascript:", "<iframe", "<form", "<input", "tracker.example", "<style"])
        {
            Assert.DoesNotContain(banned, safe, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void RemoteImages_BecomeLinks_PixelsGo_AndMailCannotBorrowThePagesClassesOrPosition()
    {
        const string html = """
            <p>Chart: <img src="https://images.example/chart.png" alt="Sales chart" width="400"></p>
            <img src="https://tracker.example/open.gif" width="1" height="1">
            <img src="/relative.png" alt="relative">
            <div class="alert alert-error" id="add-member" style="position: fixed; top: 0; z-index: 9; color: red">Red text</div>
            """;
        var read = _reader.Read(Serialize(NewMessage(new BodyBuilder { HtmlBody = html })));

        Assert.Equal(
            """
            <p>Chart: <a href="https://images.example/chart.png" rel="noopener noreferrer nofollow" target="_blank" class="remote-image" title="Image from images.example, not loaded: open it in a new tab">Sales chart</a></p>


            <div style="color: rgba(255, 0, 0, 1)">Red text</div>
            """,
            read.SanitizedHtml);
    }

    [Fact]
    public void HtmlOnlyFixture_TextIsTheHtmlRenderedAsText()
    {
        var read = _reader.Read(EmailFixtures.Bytes("discourse/html_only.eml"));

        Assert.StartsWith(
            "The EC2 instance - I've seen that there tends to be odd and unrecommended settings on the Bitnami installs that I've checked out.\n",
            read.Text,
            StringComparison.Ordinal);
        Assert.DoesNotContain("<div", read.Text, StringComparison.Ordinal);
        Assert.NotNull(read.SanitizedHtml);
        Assert.DoesNotContain("<script", read.SanitizedHtml, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void DeeplyNestedHtml_DoesNotOverflowTheStack()
    {
        // A stack overflow cannot be caught: it would take the whole server down with one mail.
        // And HTML5 tree building is quadratic in depth: unguarded, this mail cost 16 s of CPU.
        var html = string.Concat(Enumerable.Repeat("<div>", 50_000)) + "deep &amp; dark" + string.Concat(Enumerable.Repeat("</div>", 50_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var read = _reader.Read(Serialize(NewMessage(new BodyBuilder { HtmlBody = html })));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal("deep & dark", read.Text);
        Assert.Null(read.SanitizedHtml);
    }

    [Fact]
    public void OrdinaryNesting_IsNotTakenForAnAttack()
    {
        // Sloppy but real: hundreds of unclosed paragraphs and cells, tables a few levels deep.
        var sloppy = string.Concat(Enumerable.Repeat("<p>para<table><tr><td>cell<td>cell</table>", 2000)) + "<br/><img src=cid:x>";
        var nested = string.Concat(Enumerable.Repeat("<table><tr><td><div>", 40)) + "newsletter" + string.Concat(Enumerable.Repeat("</div></td></tr></table>", 40));

        Assert.False(HtmlText.IsTooDeep(sloppy));
        Assert.False(HtmlText.IsTooDeep(nested));
        Assert.True(HtmlText.IsTooDeep(string.Concat(Enumerable.Repeat("<blockquote>", ReadLimits.Default.MaxHtmlNesting + 1))));
    }

    [Fact]
    public void FlowedText_IsUnwrapped()
    {
        var read = _reader.Read(EmailFixtures.Bytes("mimekit/messages/issue1130.txt"));
        var expected = File.ReadAllText(EmailFixtures.FullPath("mimekit/messages/issue1130.expected.txt"));

        Assert.Equal(expected.TrimEnd(), read.Text);
    }

    [Fact]
    public void FlowedText_SignatureSeparatorIsNeverFlowed_SoTheSignatureIsFoldedAway()
    {
        // RFC 3676 §4.3: "-- " ends in a space but is not a flowed line; joined with the next line
        // ("--Bob") it was no separator any more, and the signature stayed in the comment.
        var raw = System.Text.Encoding.ASCII.GetBytes(
            "From: bob@example.test\r\nSubject: notes\r\nContent-Type: text/plain; charset=us-ascii; format=flowed; delsp=yes\r\n\r\n" +
            "Sounds good, see you at ten. \r\nThanks!\r\n\r\n-- \r\nBob Builder\r\nSent from my phone\r\n");

        var read = _reader.Read(raw);

        Assert.Contains("\n-- \nBob Builder", read.Text);
        Assert.Equal("Sounds good, see you at ten.Thanks!", read.Visible);
        Assert.Contains("Bob Builder", read.Quoted);
    }

    [Fact]
    public void LeadingEmptyLine_HeadersAreStillRead()
    {
        var raw = EmailFixtures.Bytes("discourse/big5.eml");
        Assert.Equal((byte)'\n', raw[0]);

        var read = _reader.Read(raw);

        Assert.Equal("walter.white@googlemail.com", read.FromAddress);
        Assert.Equal("Walter White", read.FromName);
        Assert.Equal("Re: [Discourse] new reply to your post in 'Crystal Blue'", read.Subject);
        Assert.Equal("媽！我上電視了！", read.Text);
    }

    [Fact]
    public void Headers_GiveIdsReferencesAndDate()
    {
        var read = _reader.Read(EmailFixtures.Bytes("discourse/dutch.eml"));

        Assert.Equal("4597127794206131679@unknownmsgid", read.MessageId);
        Assert.Equal(["topic/5043@discourse.org", "51efeb9b36c34_66dc2dfce6811866@discourse.mail"], read.References);
        Assert.Equal(new DateTimeOffset(2013, 7, 24, 15, 59, 10, TimeSpan.FromHours(1)), read.Date);
    }

    [Fact]
    public void InReplyToOnly_IsInReferences()
    {
        var message = NewMessage(new BodyBuilder { TextBody = "reply" });
        message.InReplyTo = "original@example.com";

        Assert.Equal(["original@example.com"], _reader.Read(Serialize(message)).References);
    }

    [Fact]
    public void NoFrom_FallsBackToSender()
    {
        var read = _reader.Read(Raw("Sender: Bot <bot@example.com>", "Subject: hi", "", "hello"));

        Assert.Equal("message", read.Kind);
        Assert.Equal("bot@example.com", read.FromAddress);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 0, 0, 0 })]
    [InlineData(new byte[] { 13, 10, 13, 10, 13, 10 })]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00, 0x41, 0x3A, 0x0A, 0x0A })]
    public void Garbage_IsMalformed(byte[] raw)
    {
        var read = _reader.Read(raw);

        Assert.Equal("malformed", read.Kind);
        Assert.False(string.IsNullOrWhiteSpace(read.Reason));
    }

    [Fact]
    public void TextWithoutHeaders_IsMalformed()
    {
        var read = _reader.Read(Encoding.UTF8.GetBytes("just some words someone pasted\nand a second line\n"));

        Assert.Equal("malformed", read.Kind);
    }

    [Fact]
    public void TruncatedInTheHeaders_IsMalformedNotAnException()
    {
        var raw = EmailFixtures.Bytes("discourse/no_from.eml")[..20];

        var read = _reader.Read(raw);

        Assert.Equal("malformed", read.Kind);
    }

    internal static MimeMessage NewMessage(BodyBuilder body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice Example", "alice@example.com"));
        message.To.Add(new MailboxAddress("Team", "team-1234@mailroom.example"));
        message.Subject = "Launch plan";
        message.Date = new DateTimeOffset(2025, 3, 4, 10, 0, 0, TimeSpan.Zero);
        message.MessageId = "launch-1@example.com";
        message.Body = body.ToMessageBody();
        return message;
    }

    internal static byte[] Serialize(MimeMessage message, FormatOptions? options = null)
    {
        using var stream = new MemoryStream();
        message.WriteTo(options ?? FormatOptions.Default, stream);
        return stream.ToArray();
    }

    internal static byte[] Raw(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");
}
