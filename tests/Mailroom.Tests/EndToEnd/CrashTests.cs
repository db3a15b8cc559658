using System.Collections.Concurrent;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// The promise of the intake: an email that got 250 is never lost and never posted twice, even
/// when the server is killed (SIGKILL, no shutdown code) while clients are sending.
/// </summary>
public class CrashTests
{
    /// <summary>Hundreds of connections a minute from loopback are this test's load, not an abuse to limit.</summary>
    private static readonly Dictionary<string, string> NoClientLimits = new() { ["Mailroom:Smtp:LimitExemptNetworks"] = "127.0.0.0/8" };

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task ServerKilledWhileReceiving500Emails_EveryAcceptedEmailIsPostedExactlyOnce(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database, NoClientLimits);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Crash");

        var accepted = await SendUntilKilledAsync(server, integration.Address, total: 500);

        await server.StartAsync();
        await server.Http.WaitUntilProcessedAsync(TimeSpan.FromMinutes(2));

        var posts = await server.Http.WholeFeedAsync(integration.GroupId);
        await AssertEachExactlyOnceAsync(server, accepted, posts.Select(p => p.Title).ToList(), "posted");
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task ServerKilledWhileReceiving300EmailsForAList_EveryAcceptedEmailIsATaskExactlyOnce(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database, NoClientLimits);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();

        var accepted = await SendUntilKilledAsync(server, list.Address!, total: 300);

        await server.StartAsync();
        await server.Http.WaitUntilProcessedAsync(TimeSpan.FromMinutes(2));

        var tasks = await server.Http.TasksAsync(list.Id);
        Assert.All(tasks, t => Assert.True(t.FromEmail));
        await AssertEachExactlyOnceAsync(server, accepted, tasks.Select(t => t.Name).ToList(), "made into a task");
    }

    /// <summary>
    /// Four clients send numbered emails (subject <c>crash-NNNN</c>) until about half of
    /// <paramref name="total"/> got 250, then the server is killed; returns the subjects that got 250.
    /// </summary>
    private static async Task<IReadOnlyCollection<string>> SendUntilKilledAsync(MailroomServer server, string address, int total)
    {
        var accepted = new ConcurrentBag<string>();
        var next = -1;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        async Task SendLoopAsync()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= total)
                {
                    return;
                }
                try
                {
                    using var client = new SmtpClient { Timeout = 10_000 };
                    await client.ConnectAsync("127.0.0.1", server.SmtpPort, SecureSocketOptions.None, stop.Token);
                    var subject = $"crash-{i:D4}";
                    await client.SendAsync(MailFactory.Simple(address, subject, $"Message number {i}."), stop.Token);
                    accepted.Add(subject);
                    await client.DisconnectAsync(true, stop.Token);
                }
                catch (Exception ex) when (ex is IOException or SmtpCommandException or SmtpProtocolException or System.Net.Sockets.SocketException or ServiceNotConnectedException)
                {
                    // The server died under this client: the message was not acknowledged.
                }
            }
        }

        var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(SendLoopAsync)).ToArray();
        var killAt = total * 3 / 10;
        while (accepted.Count < killAt && !stop.IsCancellationRequested)
        {
            await Task.Delay(5);
        }
        server.Kill();
        await Task.WhenAll(senders);
        Assert.InRange(accepted.Count, killAt, total - 1);
        return accepted;
    }

    private static async Task AssertEachExactlyOnceAsync(MailroomServer server, IReadOnlyCollection<string> accepted, IReadOnlyList<string> made, string what)
    {
        var duplicates = made.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{what} twice: " + string.Join(", ", duplicates));
        var lost = accepted.Except(made).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} accepted emails were not {what}: {string.Join(", ", lost.Take(20))}");
        var failed = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?status=Failed");
        Assert.Empty(failed);
    }
}
