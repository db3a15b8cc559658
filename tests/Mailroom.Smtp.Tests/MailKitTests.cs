using System.Security.Cryptography;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Smtp.Tests.Infrastructure;
using MimeKit;

namespace Mailroom.Smtp.Tests;

/// <summary>A real client library against the real listener: what the application will meet.</summary>
public sealed class MailKitTests
{
    [Fact]
    public async Task Send_MessageWithAttachments_SinkReceivesTheBytesMimeKitWrote()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var pdf = RandomNumberGenerator.GetBytes(100_000);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice", "alice@example.test"));
        message.To.Add(new MailboxAddress("Team", "team@mailroom.test"));
        message.Cc.Add(new MailboxAddress("Ops", "ops@mailroom.test"));
        message.Subject = "Quarterly report — résumé";
        var body = new BodyBuilder { TextBody = "See attached.\n.\n..starts with dots\nCafé ☕\n", HtmlBody = "<p>See <b>attached</b>.</p>" };
        body.Attachments.Add("report.pdf", pdf, new ContentType("application", "pdf"));
        body.Attachments.Add("notes.txt", "line one\r\n.\r\nline three\r\n"u8.ToArray(), new ContentType("text", "plain"));
        message.Body = body.ToMessageBody();

        using (var client = new SmtpClient { LocalDomain = "client.test" })
        {
            await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None);
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Size));
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        await server.WaitForIdleAsync();
        var received = Assert.Single(server.Sink.Messages);
        Assert.Equal(["team@mailroom.test", "ops@mailroom.test"], received.Envelope.Recipients);
        Assert.NotNull(received.Envelope.DeclaredSize);

        // What MailKit put on the wire before dot-stuffing, re-serialised the same way on both sides.
        var expected = Serialize(message);
        Assert.Equal(expected, received.Bytes);
        var roundTripped = Serialize(MimeMessage.Load(new MemoryStream(received.Bytes)));
        Assert.Equal(expected, roundTripped);

        var parsed = MimeMessage.Load(new MemoryStream(received.Bytes));
        var attachment = parsed.Attachments.OfType<MimePart>().Single(a => a.FileName == "report.pdf");
        using var decoded = new MemoryStream();
        await attachment.Content!.DecodeToAsync(decoded);
        Assert.Equal(pdf, decoded.ToArray());
        Assert.Equal("See attached.\n.\n..starts with dots\nCafé ☕\n", parsed.TextBody!.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task StartTls_WithCertificate_IsOfferedAndSecuresTheSession()
    {
        using var certificate = new TestCertificate();
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["CertificatePath"] = certificate.Path,
            ["CertificatePassword"] = TestCertificate.Password,
        });

        using (var client = new SmtpClient { LocalDomain = "client.test", ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.StartTls);
            Assert.True(client.IsSecure);
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("alice@example.test"));
            message.To.Add(MailboxAddress.Parse("team@mailroom.test"));
            message.Subject = "secret";
            message.Body = new TextPart("plain") { Text = "over TLS" };
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        await server.WaitForIdleAsync();
        var received = Assert.Single(server.Sink.Messages);
        Assert.True(received.IsTls);
        Assert.Equal("client.test", received.HeloName);
    }

    [Fact]
    public async Task StartTls_CommandsPipelinedBehindIt_AreDiscardedAndSessionResets()
    {
        using var certificate = new TestCertificate();
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["CertificatePath"] = certificate.Path,
            ["CertificatePassword"] = TestCertificate.Password,
        });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        await client.SendAsync("EHLO client.test\r\n");
        Assert.Equal("250 ENHANCEDSTATUSCODES", await client.ReadReplyAsync());

        // CVE-2011-0411: clear-text bytes after STARTTLS must not be run after the handshake.
        await client.SendAsync("STARTTLS\r\nMAIL FROM:<injected@example.test>\r\n");
        Assert.Equal("220 2.0.0 Ready to start TLS", await client.ReadReplyAsync());
        await client.StartTlsAsync();

        // RFC 3207 §4.2: the session starts over, so MAIL needs a new EHLO, which no longer offers STARTTLS.
        await client.SendAsync("MAIL FROM:<alice@example.test>\r\n");
        Assert.Equal("503 5.5.1 Send EHLO or HELO first", await client.ReadReplyAsync());
        await client.SendAsync("EHLO client.test\r\n");
        var lines = new List<string>();
        string line;
        do
        {
            line = await client.ReadLineAsync() ?? throw new InvalidOperationException("closed");
            lines.Add(line);
        }
        while (line[3] == '-');

        Assert.DoesNotContain("250-STARTTLS", lines);
        Assert.Equal("250 ENHANCEDSTATUSCODES", lines[^1]);
        await client.SendAsync("STARTTLS\r\n");
        Assert.Equal("503 5.5.1 TLS already active", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task ListenerInfo_AfterStart_ReportsTheBoundLoopbackPort()
    {
        await using var server = await SmtpTestServer.StartAsync();
        Assert.NotEqual(0, server.Port);
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.Equal("220 mx.mailroom.test ESMTP Mailroom", await client.ReadLineAsync());
    }

    private static byte[] Serialize(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }
}
