using System.Net;
using Mailroom.Smtp.Tests.Infrastructure;

namespace Mailroom.Smtp.Tests;

/// <summary>
/// Per-client-address limits (Postfix's anvil): one address that hoards connections or floods
/// the server is refused, while a client from another address (127.0.0.2) is served as usual.
/// </summary>
public sealed class ClientLimitTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task ManyIdleConnectionsFromOneAddress_OnlyTheFirstAreServed_AndAnotherAddressStillDelivers()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var hoard = new List<RawSmtpClient>();
        try
        {
            var greetings = new List<string?>();
            for (var i = 0; i < 60; i++)
            {
                var client = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
                hoard.Add(client);
                greetings.Add(await client.ReadLineAsync());
            }

            // The default per-client limit is 20 sessions; the rest get 421 4.7.0 and are closed.
            Assert.Equal(20, greetings.Count(g => g == "220 mx.mailroom.test ESMTP Mailroom"));
            Assert.Equal(40, greetings.Count(g => g == "421 4.7.0 mx.mailroom.test Too many connections from your address"));

            // The attacker keeps its sessions alive with a trickle.
            foreach (var client in hoard.Take(20))
            {
                await client.SendAsync("N");
            }

            await using var neighbour = await RawSmtpClient.ConnectAsync(server.Port, Neighbour);
            Assert.Equal("220 mx.mailroom.test ESMTP Mailroom", await neighbour.ReadLineAsync());
            await DeliverAsync(neighbour);
            Assert.Equal("n@neighbour.test", Assert.Single(server.Sink.Messages).Envelope.MailFrom);
        }
        finally
        {
            foreach (var client in hoard)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Connect_BeyondMaxSessionsPerClient_Replies421_UntilOneOfItsSessionsEnds()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?> { ["MaxSessionsPerClient"] = "2" });
        await using var first = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
        await using var second = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
        Assert.StartsWith("220 ", await first.ReadLineAsync());
        Assert.StartsWith("220 ", await second.ReadLineAsync());

        await using (var third = await RawSmtpClient.ConnectAsync(server.Port, Attacker))
        {
            Assert.Equal("421 4.7.0 mx.mailroom.test Too many connections from your address", await third.ReadLineAsync());
            Assert.Null(await third.ReadLineAsync());
        }

        await first.SendAsync("QUIT\r\n");
        Assert.StartsWith("221 ", await first.ReadLineAsync());
        Assert.Null(await first.ReadLineAsync());
        await WaitUntilAsync(() => server.Handler.ActiveSessions == 1);
        await using var fourth = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
        Assert.StartsWith("220 ", await fourth.ReadLineAsync());
    }

    [Fact]
    public async Task Connect_BeyondConnectionRate_Replies421_AndAnotherAddressIsServed()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?> { ["MaxConnectionsPerMinute"] = "3" });
        for (var i = 0; i < 3; i++)
        {
            await using var client = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
            Assert.StartsWith("220 ", await client.ReadLineAsync());
            await client.SendAsync("QUIT\r\n");
            Assert.StartsWith("221 ", await client.ReadLineAsync());
        }

        await using (var fourth = await RawSmtpClient.ConnectAsync(server.Port, Attacker))
        {
            Assert.Equal("421 4.7.0 mx.mailroom.test Too many connections from your address per minute, slow down", await fourth.ReadLineAsync());
            Assert.Null(await fourth.ReadLineAsync());
        }

        await using var neighbour = await RawSmtpClient.ConnectAsync(server.Port, Neighbour);
        Assert.StartsWith("220 ", await neighbour.ReadLineAsync());
    }

    [Fact]
    public async Task Mail_BeyondMessageRate_Replies452_AndAnotherAddressStillDelivers()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?> { ["MaxMessagesPerMinute"] = "2" });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
        Assert.StartsWith("220 ", await client.ReadLineAsync());
        await client.SendAsync("HELO flood.test\r\n");
        Assert.StartsWith("250 ", await client.ReadLineAsync());
        for (var i = 0; i < 2; i++)
        {
            await client.SendAsync("MAIL FROM:<a@flood.test>\r\nRSET\r\n");
            Assert.Equal("250 2.1.0 Sender OK", await client.ReadLineAsync());
            Assert.StartsWith("250 ", await client.ReadLineAsync());
        }

        await client.SendAsync("MAIL FROM:<a@flood.test>\r\n");
        Assert.Equal("452 4.7.0 Too much mail from your address, try again later", await client.ReadLineAsync());

        await using var neighbour = await RawSmtpClient.ConnectAsync(server.Port, Neighbour);
        Assert.StartsWith("220 ", await neighbour.ReadLineAsync());
        await DeliverAsync(neighbour);
    }

    [Fact]
    public async Task Rcpt_BeyondRecipientRate_Replies452()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?> { ["MaxRecipientsPerMinute"] = "2" });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
        await client.SendAsync("HELO c\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nRCPT TO:<c@mailroom.test>\r\nRCPT TO:<d@mailroom.test>\r\n");
        Assert.StartsWith("220 ", await client.ReadLineAsync());
        Assert.StartsWith("250 ", await client.ReadLineAsync());
        Assert.StartsWith("250 ", await client.ReadLineAsync());
        Assert.StartsWith("250 ", await client.ReadLineAsync());
        Assert.StartsWith("250 ", await client.ReadLineAsync());
        Assert.Equal("452 4.7.0 Too many recipients from your address, try again later", await client.ReadLineAsync());
    }

    [Fact]
    public async Task ExemptNetwork_IsNotLimited()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["MaxSessionsPerClient"] = "1",
            ["LimitExemptNetworks"] = "10.0.0.0/8, 127.0.0.1/32",
        });
        await using var first = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
        await using var second = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
        Assert.StartsWith("220 ", await first.ReadLineAsync());
        Assert.StartsWith("220 ", await second.ReadLineAsync());

        // 127.0.0.2 is outside the exempt networks: its second session is refused.
        await using var third = await RawSmtpClient.ConnectAsync(server.Port, Neighbour);
        await using var fourth = await RawSmtpClient.ConnectAsync(server.Port, Neighbour);
        Assert.StartsWith("220 ", await third.ReadLineAsync());
        Assert.StartsWith("421 4.7.0 ", await fourth.ReadLineAsync());
    }

    [Fact]
    public async Task LmtpMode_TheMtaInFrontIsNotLimitedPerClient()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?> { ["Mode"] = "lmtp", ["MaxSessionsPerClient"] = "1" });
        await using var first = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
        await using var second = await RawSmtpClient.ConnectAsync(server.Port, Attacker);
        Assert.Equal("220 mx.mailroom.test LMTP Mailroom", await first.ReadLineAsync());
        Assert.Equal("220 mx.mailroom.test LMTP Mailroom", await second.ReadLineAsync());
    }

    internal static async Task DeliverAsync(RawSmtpClient client)
    {
        await client.SendAsync("EHLO neighbour.test\r\n");
        Assert.StartsWith("250 ", await client.ReadReplyAsync());
        await client.SendAsync("MAIL FROM:<n@neighbour.test>\r\nRCPT TO:<team@mailroom.test>\r\nDATA\r\n");
        Assert.StartsWith("250 ", await client.ReadLineAsync());
        Assert.StartsWith("250 ", await client.ReadLineAsync());
        Assert.StartsWith("354 ", await client.ReadLineAsync());
        await client.SendAsync("Subject: hello\r\n\r\nstill served\r\n.\r\n");
        Assert.Equal("250 2.0.0 Message stored", await client.ReadLineAsync());
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
            await Task.Delay(20);
        }
    }
}
