using Mailroom.Tests.Inbound;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// Every real-world email of the shared corpus goes through the listener, the durable intake and
/// the processor of the running server: none crashes anything, none is left pending or failed,
/// and auto-replies and bounces are kept out of the feed as the manifest says.
/// </summary>
public class FixtureIntakeTests
{
    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task EveryFixture_IsAcceptedProcessedAndClassified(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Corpus");

        var sent = new List<(string Path, string Expected)>();
        await using (var smtp = await RawSmtp.ConnectAsync(server.SmtpPort))
        {
            foreach (var row in EmailFixtures.MessageRows)
            {
                MessageReaderFixtureTests.Departures.TryGetValue(row.Path, out var departure);
                // The server has no allow-list configured: the allow-listed case is an auto-reply here.
                var expected = departure is { AllowList: null } ? departure.Kind : row.Category switch
                {
                    "auto-reply" => "auto-reply",
                    "bounce" => "bounce",
                    _ => departure?.Kind ?? "message",
                };
                foreach (var raw in EmailFixtures.RawMessages(row.Path))
                {
                    var reply = await smtp.SendAsync("sender@corpus.example", [integration.Address], raw);
                    Assert.True(reply.StartsWith("250", StringComparison.Ordinal), $"{row.Path}: {reply}");
                    sent.Add((row.Path, expected));
                }
            }
        }
        await server.Http.WaitUntilProcessedAsync(TimeSpan.FromMinutes(2));

        var log = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=500");
        Assert.Equal(sent.Count, log.Count);
        Assert.DoesNotContain(log, e => e.Status is "pending" or "failed");

        // The log is newest first; the messages were sent one after another.
        var inOrder = log.AsEnumerable().Reverse().ToList();
        var mismatches = sent.Zip(inOrder)
            .Where(pair => pair.First.Expected is "auto-reply" or "bounce" || pair.Second.Kind is "auto-reply" or "bounce")
            .Where(pair => pair.First.Expected != pair.Second.Kind)
            .Select(pair => $"{pair.First.Path}: expected {pair.First.Expected}, got {pair.Second.Kind} ({pair.Second.Outcome})")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.All(inOrder.Where(e => e.Kind is "auto-reply" or "bounce"), e => Assert.Equal("ignored", e.Status));

        var posts = await server.Http.WholeFeedAsync(integration.GroupId);
        Assert.Equal(log.Count(e => e.Status == "posted"), posts.Count);
        Assert.All(posts, p => Assert.True(p.FromEmail));
    }
}
