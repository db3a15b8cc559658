using System.Text;
using Mailroom.Smtp.Tests.Infrastructure;

namespace Mailroom.Smtp.Tests;

/// <summary>
/// Each transcript in <c>Transcripts/</c> replayed whole, line by line and byte by byte over a
/// real socket against a real Kestrel host.
/// </summary>
public sealed class TranscriptTests
{
    public static TheoryData<ReplayMode> Modes => new(Enum.GetValues<ReplayMode>());

    [Theory, MemberData(nameof(Modes))]
    public async Task Data_SimpleMessage_IsDeliveredWithEnvelope(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("simple-accept.txt", mode);

        var message = Assert.Single(server.Sink.Messages);
        Assert.Equal("alice@example.test", message.Envelope.MailFrom);
        Assert.Equal(["team@mailroom.test"], message.Envelope.Recipients);
        Assert.Equal("client.test", message.HeloName);
        Assert.Equal("From: alice@example.test\r\nTo: team@mailroom.test\r\nSubject: Hello\r\n\r\nFirst line.\r\nSecond line.\r\n", message.Text);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Rcpt_UnknownAddress_Replies550(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("rcpt-unknown.txt", mode);
        Assert.Equal(0, server.Sink.DeliverCalls);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Mail_DeclaredSizeAboveLimit_Replies552(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("size-declared-too-large.txt", mode);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Data_BodyAboveLimit_Replies552AfterTheDotAndSessionContinues(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("body-too-large.txt", mode);

        var message = Assert.Single(server.Sink.Messages);
        Assert.Equal("Subject: small\r\n\r\nok\r\n", message.Text);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Pipelining_WholeTransactionInOneWrite_RepliesInOrder(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("pipelining.txt", mode);

        var message = Assert.Single(server.Sink.Messages);
        Assert.Equal(["team@mailroom.test", "ops@mailroom.test"], message.Envelope.Recipients);
        Assert.Equal("Subject: pipelined\r\n\r\nbody\r\n", message.Text);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Data_DotStuffedLines_AreUnstuffed(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("dot-unstuffing.txt", mode);

        var message = Assert.Single(server.Sink.Messages);
        Assert.Equal("Subject: dots\r\n\r\n.\r\n.leading dot\r\n..\r\nmiddle . dot\r\n", message.Text);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Data_TerminatorRightAfterData_DeliversEmptyMessageFromNullSender(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("empty-message.txt", mode);

        var message = Assert.Single(server.Sink.Messages);
        Assert.Empty(message.Bytes);
        Assert.Equal(string.Empty, message.Envelope.MailFrom);
        Assert.True(message.Envelope.EightBitMime);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Lmtp_AfterData_RepliesOncePerAcceptedRecipient(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("lmtp-per-recipient.txt", mode);

        var message = Assert.Single(server.Sink.Messages);
        Assert.Equal(["team@mailroom.test", "archive@full.test"], message.Envelope.Recipients);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Lmtp_MessageTooLarge_RepliesForEachRecipient(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("lmtp-size-per-recipient.txt", mode);
        Assert.Equal(0, server.Sink.DeliverCalls);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Lmtp_EhloAndHelo_AreRefused(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("lmtp-refuses-ehlo.txt", mode);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Smtp_Lhlo_IsRefusedAndHeloWorks(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("smtp-refuses-lhlo.txt", mode);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Commands_OutOfSequence_Reply503(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("sequencing-errors.txt", mode);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Commands_WithBadSyntax_Reply500Or501Or555(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("syntax-errors.txt", mode);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Rset_DropsTransaction_KeepsGreeting(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("rset.txt", mode);

        var message = Assert.Single(server.Sink.Messages);
        Assert.Equal("bob@example.test", message.Envelope.MailFrom);
        Assert.Equal(["ops@mailroom.test"], message.Envelope.Recipients);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Vrfy_Replies252_AndNoopHelpAnswer(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("vrfy-noop-help.txt", mode);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task CommandLine_TooLong_Replies500AndSessionContinues(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("long-command-line.txt", mode);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Data_LineTooLong_Replies554AndDeliversNothing(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("long-data-line.txt", mode);
        Assert.Equal(0, server.Sink.DeliverCalls);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Rcpt_PastMaxRecipients_Replies452(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("too-many-recipients.txt", mode);

        var message = Assert.Single(server.Sink.Messages);
        Assert.Equal(["a@mailroom.test", "b@mailroom.test"], message.Envelope.Recipients);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Session_PastMaxErrors_Replies421AndCloses(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("too-many-errors.txt", mode);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Sink_Throwing_Replies451(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("sink-failure.txt", mode);
        Assert.Empty(server.Sink.Messages);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Smtputf8_NonAsciiAddresses_NeedTheParameter(ReplayMode mode)
    {
        await using var server = await Transcript.ReplayAsync("smtputf8.txt", mode);

        var message = Assert.Single(server.Sink.Messages);
        Assert.True(message.Envelope.SmtpUtf8);
        Assert.Equal("δοκιμή@example.test", message.Envelope.MailFrom);
        Assert.Equal(["équipe@mailroom.test"], message.Envelope.Recipients);
        Assert.Equal(Encoding.UTF8.GetBytes("Subject: ünïcödé\r\n\r\nbody\r\n"), message.Bytes);
    }
}
