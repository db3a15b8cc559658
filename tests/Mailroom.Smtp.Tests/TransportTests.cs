using System.Net;
using System.Net.Sockets;
using System.Text;
using Mailroom.Smtp.Tests.Infrastructure;

namespace Mailroom.Smtp.Tests;

/// <summary>
/// The two transports the listener can run on — its own epoll event loop (the default) and
/// Kestrel's socket transport — under the conditions where a transport goes wrong: a client that
/// stops reading, a client that sends megabytes in one go, many sessions at once, resets.
/// </summary>
public sealed class TransportTests
{
    public static TheoryData<string> Transports => new("epoll", "sockets");

    private static Task<SmtpTestServer> StartAsync(string transport, Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Transport"] = transport;
        return SmtpTestServer.StartAsync(settings);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task SecondServerOnTheSamePort_FailsToStart_InsteadOfSharingTheConnections(string transport)
    {
        await using var first = await StartAsync(transport);

        // Two listeners on one port (SO_REUSEPORT) would each get some of the clients: a second
        // Mailroom started by mistake must fail loudly, not take half of the mail.
        var second = await Record.ExceptionAsync(async () =>
            await (await StartAsync(transport, new() { ["Port"] = first.Port.ToString() })).DisposeAsync());

        Assert.NotNull(second);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Pipelining_ClientReadsNoReplyUntilItHasSentEverything_EveryReplyArrivesInOrder(string transport)
    {
        await using var server = await StartAsync(transport);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // A small receive window, so the server's replies fill it and its sends must wait for room.
        socket.ReceiveBufferSize = 4096;
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));
        await using var stream = new NetworkStream(socket, ownsSocket: false);

        const int commands = 500_000;
        var sending = Task.Run(async () =>
        {
            var batch = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("NOOP\r\n", 1000)));
            for (var i = 0; i < commands / 1000; i++)
            {
                await stream.WriteAsync(batch);
            }
            await stream.WriteAsync("QUIT\r\n"u8.ToArray());
        });
        // Let the server run into the full window before anything is read.
        await Task.Delay(500);

        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.StartsWith("220 ", await reader.ReadLineAsync(timeout.Token));
        for (var i = 0; i < commands; i++)
        {
            Assert.Equal("250 2.0.0 OK", await reader.ReadLineAsync(timeout.Token));
        }
        Assert.StartsWith("221 2.0.0 ", await reader.ReadLineAsync(timeout.Token));
        Assert.Null(await reader.ReadLineAsync(timeout.Token));
        await sending;
        await server.WaitForIdleAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Data_TwentyMegabytesInOneWrite_IsDeliveredWhole(string transport)
    {
        await using var server = await StartAsync(transport);
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        var line = new string('x', 998) + "\r\n";
        var body = new StringBuilder("Subject: big\r\n\r\n");
        while (body.Length < 20 * 1024 * 1024)
        {
            body.Append(line);
        }
        var message = body.ToString();

        // Envelope, DATA and the whole message in one write: the server must read faster than its pipe fills, or pause.
        await client.SendAsync("EHLO client.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\n" + message + ".\r\nQUIT\r\n");
        Assert.StartsWith("220 ", await client.ReadLineAsync());
        Assert.StartsWith("250 ", await client.ReadReplyAsync());
        Assert.StartsWith("250 ", await client.ReadReplyAsync());
        Assert.StartsWith("250 ", await client.ReadReplyAsync());
        Assert.StartsWith("354 ", await client.ReadReplyAsync());
        Assert.StartsWith("250 ", await client.ReadReplyAsync());
        Assert.StartsWith("221 ", await client.ReadReplyAsync());

        var received = Assert.Single(server.Sink.Messages);
        Assert.Equal(message, received.Text);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Pipelining_MegabytesBehindASlowDelivery_ReadingPausesThenEverythingArrives(string transport)
    {
        await using var server = await StartAsync(transport);
        server.Sink.DeliveryGate = new SemaphoreSlim(0);
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        var second = "Subject: second\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('y', 998) + "\r\n", 8 * 1024));
        var envelope = "MAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\n";

        // The second message (8 MB) is pipelined behind the first, whose delivery hangs: the
        // listener must stop reading (TCP then holds the client back) instead of buffering it all.
        var sending = client.SendAsync("EHLO client.test\r\n" + envelope + "Subject: first\r\n\r\nhi\r\n.\r\n" + envelope + second + ".\r\nQUIT\r\n");
        await Task.Delay(1000);
        Assert.False(sending.IsCompleted, "the client could send 8 MB while the server was stuck: nothing held it back");
        Assert.Equal(1, server.Sink.DeliverCalls);

        server.Sink.DeliveryGate.Release(2);
        await sending;
        Assert.StartsWith("220 ", await client.ReadLineAsync());
        Assert.StartsWith("250 ", await client.ReadReplyAsync()); // EHLO
        for (var m = 0; m < 2; m++)
        {
            Assert.StartsWith("250 ", await client.ReadReplyAsync());
            Assert.StartsWith("250 ", await client.ReadReplyAsync());
            Assert.StartsWith("354 ", await client.ReadReplyAsync());
            Assert.StartsWith("250 ", await client.ReadReplyAsync());
        }
        Assert.StartsWith("221 ", await client.ReadReplyAsync());
        Assert.Equal(["first", "second"], server.Sink.Messages.Select(m => m.Text.Split("\r\n")[0]["Subject: ".Length..]));
        Assert.Equal(second, server.Sink.Messages.Last().Text);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ManySessions_AtOnce_EveryMessageDeliveredAndEverySessionEnds(string transport)
    {
        // Sixty sessions from one address is what this test is about, not what the per-client limit allows.
        await using var server = await StartAsync(transport, new() { ["LimitExemptNetworks"] = "127.0.0.1" });
        const int sessions = 60, perSession = 10;
        await Task.WhenAll(Enumerable.Range(0, sessions).Select(async s =>
        {
            await using var client = await RawSmtpClient.ConnectAsync(server.Port);
            Assert.StartsWith("220 ", await client.ReadLineAsync());
            await client.SendAsync("EHLO client.test\r\n");
            Assert.StartsWith("250 ", await client.ReadReplyAsync());
            for (var m = 0; m < perSession; m++)
            {
                // One command per round trip, the way smtp-source and most clients talk.
                foreach (var command in new[] { "MAIL FROM:<a@example.test>", $"RCPT TO:<s{s}@mailroom.test>", "DATA" })
                {
                    await client.SendAsync(command + "\r\n");
                    Assert.Matches("^(250|354) ", await client.ReadReplyAsync());
                }
                await client.SendAsync($"Subject: {s}/{m}\r\n\r\nbody\r\n.\r\n");
                Assert.StartsWith("250 ", await client.ReadReplyAsync());
            }
            await client.SendAsync("QUIT\r\n");
            Assert.StartsWith("221 ", await client.ReadReplyAsync());
        }));

        await server.WaitForIdleAsync();
        Assert.Equal(sessions * perSession, server.Sink.Messages.Count);
        Assert.Equal(sessions * perSession, server.Sink.Messages.Select(m => m.Text).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Reset_ByClientInTheMiddleOfData_SessionEndsAndNothingIsDelivered(string transport)
    {
        await using var server = await StartAsync(transport);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));
        await socket.SendAsync(Encoding.ASCII.GetBytes("HELO c\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@mailroom.test>\r\nDATA\r\nSubject: cut\r\n\r\nhalf"));
        await Task.Delay(200);
        // Linger 0: close sends a TCP RST instead of a FIN.
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();

        await server.WaitForIdleAsync();
        Assert.Equal(0, server.Sink.DeliverCalls);

        // The listener still serves the next client.
        await using var next = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.StartsWith("220 ", await next.ReadLineAsync());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Stop_WithAnIdleSessionOpen_Says421AndStopsPromptly(string transport)
    {
        var server = await StartAsync(transport);
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.StartsWith("220 ", await client.ReadLineAsync());
        await client.SendAsync("NOOP\r\n");
        Assert.Equal("250 2.0.0 OK", await client.ReadLineAsync());

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
        Assert.Equal("421 4.3.2 mx.mailroom.test Service shutting down, closing connection", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task Transport_Unknown_FailsAtStartWithTheKeyToFix()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync("carrier-pigeon"));
        Assert.Contains("Mailroom:Smtp:Transport must be 'epoll' or 'sockets'", error.ToString());
    }
}
