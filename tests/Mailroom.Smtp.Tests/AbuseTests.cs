using System.Diagnostics;
using System.Text;
using Mailroom.Smtp.Tests.Infrastructure;

namespace Mailroom.Smtp.Tests;

/// <summary>Clients that stall, trickle, probe or send bytes no command may hold.</summary>
public sealed class AbuseTests
{
    [Fact]
    public async Task Session_LongerThanSessionTimeout_Replies421_ThoughNeverIdle()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?> { ["SessionTimeout"] = "00:00:00.600" });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.StartsWith("220 ", await client.ReadLineAsync());
        var clock = Stopwatch.StartNew();
        string? line;
        do
        {
            await Task.Delay(100);
            await client.SendAsync("NOOP\r\n");
            line = await client.ReadLineAsync();
        }
        while (line == "250 2.0.0 OK" && clock.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal("421 4.4.2 mx.mailroom.test Session time limit exceeded, closing connection", line);
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task Data_TrickledBelowMinDataRate_Replies421_AndDeliversNothing()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["MinDataRate"] = "1000",
            ["DataRateWindow"] = "00:00:00.400",
        });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        await client.SendAsync("HELO c\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\n");
        for (var i = 0; i < 5; i++)
        {
            await client.ReadLineAsync();
        }

        // A byte every 50 ms, 20 bytes/s: never idle, far below 1000 bytes/s.
        var trickle = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 200; i++)
                {
                    await client.SendAsync("x");
                    await Task.Delay(50);
                }
            }
            catch (IOException)
            {
            }
        });

        Assert.Equal("421 4.4.2 mx.mailroom.test Data rate too slow, closing connection", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        await server.WaitForIdleAsync();
        Assert.Equal(0, server.Sink.DeliverCalls);
        await trickle;
    }

    [Fact]
    public async Task Data_SlowButAboveMinDataRate_IsDelivered()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["MinDataRate"] = "1000",
            ["DataRateWindow"] = "00:00:01",
        });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        await client.SendAsync("HELO c\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\n");
        for (var i = 0; i < 5; i++)
        {
            await client.ReadLineAsync();
        }

        // 1000 bytes every 100 ms (10 KB/s, ten times the minimum) for several windows, never a pause as long as one.
        var line = new string('y', 998) + "\r\n";
        for (var i = 0; i < 30; i++)
        {
            await client.SendAsync(line);
            await Task.Delay(100);
        }

        await client.SendAsync(".\r\n");
        Assert.Equal("250 2.0.0 Message stored", await client.ReadLineAsync());
        Assert.Equal(30_000, Assert.Single(server.Sink.Messages).Bytes.Length);
    }

    [Fact]
    public async Task Rcpt_RefusedRecipients_CountAsErrors_DelayedPastSoftLimit_AndEndTheSession()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["MaxErrors"] = "4",
            ["SoftErrorLimit"] = "2",
            ["ErrorDelay"] = "00:00:01",
        });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        await client.SendAsync("HELO c\r\nMAIL FROM:<a@example.test>\r\n");
        for (var i = 0; i < 3; i++)
        {
            await client.ReadLineAsync();
        }

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var clock = Stopwatch.StartNew();
            await client.SendAsync($"RCPT TO:<probe{i}@unknown.test>\r\n");
            Assert.Equal("550 5.1.1 No such recipient here", await client.ReadLineAsync());
            delays.Add(clock.Elapsed);
        }

        await client.SendAsync("RCPT TO:<probe5@unknown.test>\r\n");
        Assert.Equal("421 4.7.0 mx.mailroom.test Too many errors, closing connection", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());

        // The first two refusals come at once, those past the soft limit wait.
        Assert.All(delays.Take(2), d => Assert.True(d < TimeSpan.FromMilliseconds(900), $"{d} before the soft limit"));
        Assert.All(delays.Skip(2), d => Assert.True(d >= TimeSpan.FromMilliseconds(950), $"{d} past the soft limit"));
    }

    [Theory]
    [InlineData("HELO evil\0host\r\n")]
    [InlineData("EHLO evil\u0001host\r\n")]
    [InlineData("HELO evil\u007fhost\r\n")]
    [InlineData("MAIL FROM:<a\0b@example.test>\r\n")]
    [InlineData("RCPT TO:<a\u001bb@mailroom.test>\r\n")]
    public async Task Command_WithControlCharacter_Replies501_AndReachesNoSink(string command)
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.StartsWith("220 ", await client.ReadLineAsync());
        await client.SendAsync(command);
        Assert.Equal("501 5.5.2 Invalid character in command", await client.ReadLineAsync());

        // The session goes on: the client may still greet properly and send.
        await client.SendAsync("HELO good.test\r\nQUIT\r\n");
        Assert.StartsWith("250 ", await client.ReadLineAsync());
        Assert.StartsWith("221 ", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Helo_WithInvalidUtf8_Replies501_AndKeepsNoName()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.StartsWith("220 ", await client.ReadLineAsync());
        await client.SendAsync([.. "HELO bad"u8, 0xC3, 0x28, 0xFF, .. "\r\nMAIL FROM:<a@example.test>\r\n"u8]);
        Assert.Equal("501 5.5.2 Invalid character in command", await client.ReadLineAsync());
        Assert.StartsWith("503 5.5.1 ", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Data_LargerThanSpoolThreshold_IsSpooledToDisk_DeliveredWhole_AndTheFileRemoved()
    {
        var spool = Directory.CreateTempSubdirectory("mailroom-spool-test-").FullName;
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["SpoolThreshold"] = "65536",
            ["SpoolDirectory"] = spool,
        });
        var body = new StringBuilder();
        for (var i = 0; body.Length < 1_000_000; i++)
        {
            body.Append(CultureInfoLine(i));
        }

        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        await client.SendAsync("HELO c\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\n");
        for (var i = 0; i < 5; i++)
        {
            await client.ReadLineAsync();
        }

        await client.SendAsync(body + ".\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\nSubject: small\r\n\r\nx\r\n.\r\n");
        Assert.Equal("250 2.0.0 Message stored", await client.ReadLineAsync());
        for (var i = 0; i < 3; i++)
        {
            await client.ReadLineAsync();
        }

        Assert.Equal("250 2.0.0 Message stored", await client.ReadLineAsync());
        var messages = server.Sink.Messages.ToArray();
        Assert.True(messages[0].Spooled);
        Assert.Equal(body.ToString(), messages[0].Text);
        Assert.False(messages[1].Spooled);
        Assert.Equal("Subject: small\r\n\r\nx\r\n", messages[1].Text);
        Assert.Empty(Directory.GetFiles(spool));
    }

    [Fact]
    public async Task Data_WhenTheMemoryBudgetIsUsedUp_IsSpooledEvenWhenSmall()
    {
        var spool = Directory.CreateTempSubdirectory("mailroom-spool-test-").FullName;
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["MaxBufferedBytes"] = "0",
            ["SpoolDirectory"] = spool,
        });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        await client.SendAsync("HELO c\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\nSubject: tiny\r\n\r\n..x\r\n.\r\n");
        for (var i = 0; i < 5; i++)
        {
            await client.ReadLineAsync();
        }

        Assert.Equal("250 2.0.0 Message stored", await client.ReadLineAsync());
        var message = Assert.Single(server.Sink.Messages);
        Assert.True(message.Spooled);
        Assert.Equal("Subject: tiny\r\n\r\n.x\r\n", message.Text);
        Assert.Empty(Directory.GetFiles(spool));
    }

    private static string CultureInfoLine(int i) => $"line {i:D7} of a large message, spooled rather than held\r\n";
}
