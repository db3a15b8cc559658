using System.Net;
using System.Text;
using Mailroom.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// The listener inside the running server against clients that hoard connections, send bytes no
/// command may hold, or send very large mail: the others are served as usual.
/// </summary>
public class ListenerAbuseTests(ITestOutputHelper output)
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.2");

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task OneAddressHoldingManyTricklingConnections_AnotherAddressStillGets220AndDelivers(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Busy");
        var hoard = new List<RawSmtp>();
        try
        {
            var greetings = new List<string>();
            for (var i = 0; i < 30; i++)
            {
                var connection = await RawSmtp.OpenAsync(server.SmtpPort, Attacker);
                hoard.Add(connection);
                greetings.Add(await connection.ReadReplyAsync());
            }
            Assert.Equal(20, greetings.Count(g => g.StartsWith("220 ", StringComparison.Ordinal)));
            Assert.Equal(10, greetings.Count(g => g.StartsWith("421 4.7.0 ", StringComparison.Ordinal) && g.EndsWith("Too many connections from your address", StringComparison.Ordinal)));
            foreach (var connection in hoard)
            {
                try
                {
                    await connection.WriteAsync("N"u8.ToArray());
                }
                catch (IOException)
                {
                    // One of the refused ones, already closed by the server.
                }
            }

            await using var neighbour = await RawSmtp.ConnectAsync(server.SmtpPort, from: Neighbour);
            Assert.StartsWith("250", await neighbour.SendAsync("n@example.com", [integration.Address],
                Encoding.ASCII.GetBytes("From: n@example.com\r\nSubject: still served\r\n\r\nThe neighbour's mail.\r\n")));
            await server.Http.WaitUntilProcessedAsync();
            Assert.Equal("still served", Assert.Single(await server.Http.FeedAsync(integration.GroupId)).Title);
        }
        finally
        {
            foreach (var connection in hoard)
            {
                connection.Abort();
            }
        }
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task NulOrInvalidUtf8InHelo_IsRefused_AndTheOtherSendersOfTheBatchAllGet250AndAreStored(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Batch");

        async Task<string[]> AttackAsync(byte[] helo)
        {
            await using var attacker = await RawSmtp.OpenAsync(server.SmtpPort, Neighbour);
            await attacker.ReadReplyAsync();
            await attacker.WriteAsync([.. helo, .. "\r\n"u8, .. "MAIL FROM:<a@evil.test>\r\n"u8]);
            return [await attacker.ReadReplyAsync(), await attacker.ReadReplyAsync()];
        }

        async Task<string> SendAsync(int i)
        {
            await using var sender = await RawSmtp.ConnectAsync(server.SmtpPort);
            return await sender.SendAsync($"s{i}@example.com", [integration.Address],
                Encoding.ASCII.GetBytes($"From: s{i}@example.com\r\nSubject: batch {i:D2}\r\n\r\nOne of many at once.\r\n"));
        }

        var attacks = new[] { "HELO evil\0host"u8.ToArray(), [.. "HELO evil"u8, 0xC3, 0x28, 0xFF], "EHLO \0"u8.ToArray() }.Select(AttackAsync).ToArray();
        var sends = Enumerable.Range(0, 12).Select(SendAsync).ToArray();
        var attacked = await Task.WhenAll(attacks);
        var sent = await Task.WhenAll(sends);

        foreach (var replies in attacked)
        {
            Assert.Equal("501 5.5.2 Invalid character in command", replies[0]);
            Assert.StartsWith("503 5.5.1 ", replies[1]);
        }
        Assert.All(sent, s => Assert.StartsWith("250 2.0.0 ", s));
        await server.Http.WaitUntilProcessedAsync();
        var feed = await server.Http.FeedAsync(integration.GroupId);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"batch {i:D2}"), feed.Select(p => p.Title).Order());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task FortyMegabyteEmails_AreSpooledToDisk_TheServerMemoryGrowsByLessThan100MegabytesWhileReceiving(int concurrent)
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Big");
        var line = Encoding.ASCII.GetBytes(new string('z', 76) + "\r\n");
        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes("From: big@example.com\r\nSubject: forty megabytes\r\n\r\n"));
        while (body.Length < 40 * 1024 * 1024)
        {
            body.Write(line);
        }
        var wire = RawSmtp.DotStuff(body.ToArray());
        var withoutDot = wire.AsMemory(0, wire.Length - 3);

        var before = HighWaterMark(server.ProcessId);
        var senders = new List<RawSmtp>();
        for (var i = 0; i < concurrent; i++)
        {
            var sender = await RawSmtp.ConnectAsync(server.SmtpPort);
            senders.Add(sender);
            Assert.StartsWith("250", await sender.CommandAsync("MAIL FROM:<big@example.com>"));
            Assert.StartsWith("250", await sender.CommandAsync($"RCPT TO:<{integration.Address}>"));
            Assert.StartsWith("354", await sender.CommandAsync("DATA"));
        }
        // Everything but the final dot: the bodies are all "being received" at once.
        await Task.WhenAll(senders.Select(s => s.WriteAsync(withoutDot.ToArray())));
        await Task.Delay(1000);
        var receiving = HighWaterMark(server.ProcessId);
        var replies = await Task.WhenAll(senders.Select(async s =>
        {
            await s.WriteAsync(".\r\n"u8.ToArray());
            return await s.ReadReplyAsync();
        }));
        var stored = HighWaterMark(server.ProcessId);
        Assert.All(replies, r => Assert.StartsWith("250 2.0.0 ", r));
        foreach (var sender in senders)
        {
            await sender.DisposeAsync();
        }

        output.WriteLine($"{concurrent} x 40 MB: VmHWM {before / 1024} MB before, {receiving / 1024} MB while receiving (+{(receiving - before) / 1024} MB), {stored / 1024} MB once stored (+{(stored - before) / 1024} MB)");
        Assert.True(receiving - before < 100 * 1024, $"VmHWM grew by {(receiving - before) / 1024} MB while receiving {concurrent} x 40 MB");
        // Not asserted once stored: the processor may already be reading the first of them by then.
        var log = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound");
        Assert.Equal(concurrent, log.Count);

        // Reading the mail is the processor's business, not the listener's: reported, not asserted here.
        await server.Http.WaitUntilProcessedAsync(TimeSpan.FromMinutes(3));
        var processed = HighWaterMark(server.ProcessId);
        output.WriteLine($"{concurrent} x 40 MB: VmHWM {processed / 1024} MB once processed (+{(processed - before) / 1024} MB)");
    }

    /// <summary>The peak resident memory of a process, in KB (VmHWM in /proc/PID/status).</summary>
    private static long HighWaterMark(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
