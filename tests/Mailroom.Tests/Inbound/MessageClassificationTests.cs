using Mailroom.Inbound;
using static Mailroom.Tests.Inbound.MessageReaderTests;

namespace Mailroom.Tests.Inbound;

/// <summary>Mailroom's kind rules, one sign at a time, on small hand-written messages.</summary>
public class MessageClassificationTests
{
    private readonly MessageReader _reader = new(5 * 1024 * 1024);

    [Theory]
    [InlineData("Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied")]
    [InlineData("Auto-Submitted: auto-generated; owner-email=\"x@example.com\"", "Auto-Submitted: auto-generated")]
    [InlineData("X-Autoreply: yes", "X-Autoreply")]
    [InlineData("X-Autorespond: Vacation", "X-Autorespond")]
    [InlineData("Precedence: auto_reply", "Precedence: auto_reply")]
    public void AutoReplyHeaders_MakeAnAutoReply(string header, string reasonPart)
    {
        var read = _reader.Read(Raw("From: Bob <bob@example.com>", header, "Subject: Re: launch", "", "I am away."));

        Assert.Equal("auto-reply", read.Kind);
        Assert.Contains(reasonPart, read.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Automatic reply: Launch plan")]
    [InlineData("Auto: Launch plan")]
    [InlineData("AutoReply: Launch plan")]
    [InlineData("Out of Office: Launch plan")]
    [InlineData("Out of office")]
    [InlineData("Abwesenheitsnotiz: Launch plan")]
    [InlineData("Réponse automatique : Launch plan")]
    [InlineData("=?utf-8?q?R=C3=A9ponse_automatique_=3A_Launch_plan?=")]
    public void OutOfOfficeSubjects_MakeAnAutoReply(string subject)
    {
        var read = _reader.Read(Raw("From: Bob <bob@example.com>", $"Subject: {subject}", "", "I am away until Monday."));

        Assert.Equal("auto-reply", read.Kind);
        Assert.Contains("out-of-office subject", read.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Subject: Out of office next week?")]
    [InlineData("Subject: Automatic replies are annoying")]
    [InlineData("Subject: Re: Auto insurance quote")]
    [InlineData("Auto-Submitted: no")]
    [InlineData("X-Autoreply: no")]
    [InlineData("Precedence: junk")]

    // Outlook adds this to ordinary mail: it asks others not to auto-reply, it is not a sign.
    [InlineData("X-Auto-Response-Suppress: All")]
    public void OrdinaryMailWithLookalikeSigns_IsAMessage(string header)
    {
        var read = _reader.Read(Raw("From: Bob <bob@example.com>", "Subject: hello", header, "", "Written by a person."));

        Assert.Equal("message", read.Kind);
    }

    [Theory]
    [InlineData("Precedence: bulk", "Precedence: bulk")]
    [InlineData("Precedence: list", "Precedence: list")]
    [InlineData("List-Id: Announcements <announce.example.com>", "List-Id")]
    [InlineData("List-Unsubscribe: <mailto:unsubscribe@example.com>", "List-Unsubscribe")]
    public void NewsletterAndListMail_IsPostedLikeAnyMessage(string header, string sign)
    {
        // A8: a newsletter feeding a communication group is a use the product names.
        var read = _reader.Read(Raw("From: News <news@example.com>", "Subject: March issue", header, "", "This month…"));

        Assert.Equal("message", read.Kind);
        Assert.Contains(sign, read.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowListedSender_AutomaticMailIsAMessage()
    {
        var raw = EmailFixtures.Bytes("discourse/auto_generated_allowlisted.eml");

        var withoutList = new MessageReader(5 * 1024 * 1024).Read(raw);
        var withList = new MessageReader(5 * 1024 * 1024, ["Discourse@bar.com"]).Read(raw);

        Assert.Equal("auto-reply", withoutList.Kind);
        Assert.Equal("message", withList.Kind);
        Assert.Contains("allow-listed", withList.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowList_DoesNotLetBouncesThrough()
    {
        var reader = new MessageReader(5 * 1024 * 1024, ["MAILER-DAEMON@b-s-c.co.jp"]);

        Assert.Equal("bounce", reader.Read(EmailFixtures.Bytes("discourse/bounced_email.eml")).Kind);
    }

    [Fact]
    public void Dsn_ReasonNamesRecipientAndStatus()
    {
        var read = _reader.Read(EmailFixtures.Bytes("discourse/bounced_email.eml"));

        Assert.Equal("bounce", read.Kind);
        Assert.Equal("delivery status notification (DSN) for linux-admin@b-s-c.co.jp: 5.1.1", read.Reason);
    }

    [Fact]
    public void ReadReceipt_IsABounceNamedAsAReadReceipt()
    {
        var read = _reader.Read(EmailFixtures.Bytes("mimekit/messages/disposition-notification.txt"));

        Assert.Equal("bounce", read.Kind);
        Assert.StartsWith("read receipt", read.Reason, StringComparison.Ordinal);
        Assert.Contains("displayed", read.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MAILER-DAEMON@mx.example.com", "Undelivered Mail Returned to Sender")]
    [InlineData("postmaster@example.com", "Undeliverable: Launch plan")]
    [InlineData("postmaster@example.com", "Delivery Status Notification (Failure)")]
    [InlineData("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Mail delivery failed: returning message to sender")]
    [InlineData("MAILER-DAEMON@example.com", "failure notice")]
    [InlineData("postmaster@example.com", "Returned mail: see transcript for details")]
    public void ClassicBounceWithoutReport_IsABounce(string from, string subject)
    {
        var read = _reader.Read(Raw($"From: {from}", $"Subject: {subject}", "", "Your message could not be delivered."));

        Assert.Equal("bounce", read.Kind);
    }

    [Fact]
    public void PostmasterWritingAnOrdinaryMail_IsAMessage()
    {
        var read = _reader.Read(Raw("From: postmaster@example.com", "Subject: New spam filter from Monday", "", "Hi all."));

        Assert.Equal("message", read.Kind);
    }

    [Fact]
    public void XFailedRecipients_IsABounce()
    {
        var read = _reader.Read(Raw("From: Mail System <system@example.com>", "X-Failed-Recipients: gone@example.com", "Subject: trouble", "", "…"));

        Assert.Equal("bounce", read.Kind);
        Assert.Contains("gone@example.com", read.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DeliveryStatusPartOutsideAReport_IsABounce()
    {
        var read = _reader.Read(Raw(
            "From: Mail System <system@example.com>",
            "Subject: about your mail",
            "Content-Type: multipart/mixed; boundary=b",
            "",
            "--b",
            "Content-Type: text/plain",
            "",
            "It failed.",
            "--b",
            "Content-Type: message/delivery-status",
            "",
            "Reporting-MTA: dns; mx.example.com",
            "",
            "Final-Recipient: rfc822; gone@example.com",
            "Action: failed",
            "Status: 5.1.1",
            "--b--"));

        Assert.Equal("bounce", read.Kind);
        Assert.Equal("delivery status notification (DSN) for gone@example.com: 5.1.1", read.Reason);
    }

    [Fact]
    public void BounceForwardedAsAnAttachment_IsAMessage()
    {
        var bounce = MimeKit.MimeMessage.Load(new MemoryStream(EmailFixtures.Bytes("discourse/bounced_email.eml")));
        var outer = NewMessage(new MimeKit.BodyBuilder { TextBody = "Why did my mail bounce? See attached." });
        outer.Body = new MimeKit.Multipart("mixed") { outer.Body!, new MimeKit.MessagePart { Message = bounce } };

        var read = _reader.Read(Serialize(outer));

        Assert.Equal("message", read.Kind);
        Assert.Equal("Undelivered Mail Returned to Sender.eml", Assert.Single(read.Attachments).FileName);
    }

    [Fact]
    public void BounceThatIsAlsoAutoSubmitted_IsABounce()
    {
        var read = _reader.Read(Raw(
            "From: MAILER-DAEMON@example.com",
            "Auto-Submitted: auto-replied",
            "Subject: Undelivered Mail Returned to Sender",
            "",
            "Sorry."));

        Assert.Equal("bounce", read.Kind);
    }
}
