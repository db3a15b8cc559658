using System.Text;
using Mailroom.Smtp.Tests.Infrastructure;

namespace Mailroom.Smtp.Tests;

/// <summary>What the listener does with clients that misbehave at the connection level.</summary>
public sealed class SessionLimitTests
{
    [Fact]
    public async Task Data_ClientDisconnectsMidway_SinkIsNeverCalled()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using (var client = await RawSmtpClient.ConnectAsync(server.Port))
        {
            await client.SendAsync("EHLO client.test\r\nMAIL FROM:<alice@example.test>\r\nRCPT TO:<team@mailroom.test>\r\nDATA\r\n");
            for (var i = 0; i < 5; i++)
            {
                await client.ReadReplyAsync();
            }

            await client.SendAsync("Subject: half\r\n\r\nonly half of the body\r\n.");
            client.Abort();
        }

        await server.WaitForIdleAsync();
        Assert.Equal(0, server.Sink.DeliverCalls);
    }

    [Fact]
    public async Task Session_IdleLongerThanTimeout_Replies421AndCloses()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?> { ["IdleTimeout"] = "00:00:00.300" });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.StartsWith("220 ", await client.ReadLineAsync());
        await client.SendAsync("NOOP\r\n");
        Assert.Equal("250 2.0.0 OK", await client.ReadLineAsync());

        Assert.Equal("421 4.4.2 mx.mailroom.test Idle timeout, closing connection", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task Session_IdleInsideData_Replies421AndDeliversNothing()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?> { ["IdleTimeout"] = "00:00:00.300" });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        await client.SendAsync("HELO client.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\nSubject: x\r\n");
        for (var i = 0; i < 5; i++)
        {
            await client.ReadLineAsync();
        }

        Assert.StartsWith("421 4.4.2 ", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        await server.WaitForIdleAsync();
        Assert.Equal(0, server.Sink.DeliverCalls);
    }

    [Fact]
    public async Task Connect_BeyondMaxConcurrentSessions_Replies421AndCloses()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?> { ["MaxConcurrentSessions"] = "1" });
        await using var first = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.Equal("220 mx.mailroom.test ESMTP Mailroom", await first.ReadLineAsync());

        await using (var second = await RawSmtpClient.ConnectAsync(server.Port))
        {
            Assert.Equal("421 4.3.2 mx.mailroom.test Too many connections, try again later", await second.ReadLineAsync());
            Assert.Null(await second.ReadLineAsync());
        }

        // The refused connection does not hold a slot: once the first leaves, a new one is served.
        await first.SendAsync("QUIT\r\n");
        Assert.StartsWith("221 ", await first.ReadLineAsync());
        await server.WaitForIdleAsync();
        await using var third = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.Equal("220 mx.mailroom.test ESMTP Mailroom", await third.ReadLineAsync());
    }

    [Fact]
    public async Task Server_StoppingWithOpenSession_Replies421AndCloses()
    {
        var server = await SmtpTestServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.StartsWith("220 ", await client.ReadLineAsync());

        var stopping = server.DisposeAsync().AsTask();
        Assert.Equal("421 4.3.2 mx.mailroom.test Service shutting down, closing connection", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        await stopping;
    }

    [Fact]
    public async Task Data_BareLineFeedDotLineFeed_DoesNotEndTheMessage()
    {
        // SMTP smuggling (CVE-2023-51764): "\n.\n" must not end DATA, or the text after it would
        // run as a second transaction on behalf of the relay that forwarded it.
        await using var server = await SmtpTestServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        await client.SendAsync("HELO client.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\n");
        for (var i = 0; i < 5; i++)
        {
            await client.ReadLineAsync();
        }

        await client.SendAsync("Subject: x\r\n\r\nbody\n.\nMAIL FROM:<ceo@example.test>\r\n\n.\r\nend\r\n.\r\nQUIT\r\n");
        Assert.Equal("250 2.0.0 Message stored", await client.ReadLineAsync());
        Assert.StartsWith("221 ", await client.ReadLineAsync());

        await server.WaitForIdleAsync();
        var message = Assert.Single(server.Sink.Messages);
        Assert.Equal("Subject: x\r\n\r\nbody\n\nMAIL FROM:<ceo@example.test>\r\n\n\r\nend\r\n", Encoding.UTF8.GetString(message.Bytes));
    }

    [Fact]
    public async Task Data_LineEndingsInsideBody_AreKeptAsReceived()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        await client.SendAsync("HELO c\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\n");
        await client.SendByteByByteAsync("a\nb\r\n..c\r\n\r\n.\r\n"u8.ToArray());
        for (var i = 0; i < 5; i++)
        {
            await client.ReadLineAsync();
        }

        Assert.Equal("250 2.0.0 Message stored", await client.ReadLineAsync());
        await client.SendAsync("QUIT\r\n");
        await client.ReadLineAsync();
        await server.WaitForIdleAsync();
        Assert.Equal("a\nb\r\n.c\r\n\r\n"u8.ToArray(), Assert.Single(server.Sink.Messages).Bytes);
    }
}
