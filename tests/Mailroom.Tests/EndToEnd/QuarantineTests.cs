using System.Net;
using Mailroom.Hostile;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// A message that takes longer than its budget, or that the server stops while processing, is
/// quarantined: failed with its reason in the inbound log, kept, never claimed again by itself,
/// and the emails behind it are posted. An admin can put it back in the queue.
/// </summary>
public class QuarantineTests
{
    // Caps lifted so that a message of many parts really is slow to read (with the defaults it
    // is cut at 1,000 parts and takes well under a second).
    private static readonly Dictionary<string, string> Slow = new()
    {
        ["Mailroom:Inbound:MaxParts"] = "1000000",
        ["Mailroom:Inbound:BusyIntakeRate"] = "0",
    };

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task MessageOverItsBudget_IsQuarantinedAndTheEmailsBehindItArePosted(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database, new Dictionary<string, string>(Slow) { ["Mailroom:Inbound:ProcessingBudget"] = "00:00:01" });
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Poison");

        await SendRawAsync(server, integration.Address, HostileMail.Generate("many-parts", 12 * 1024 * 1024));
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(integration.Address, "behind the poison", "Still posted."));
        await server.Http.WaitUntilProcessedAsync(TimeSpan.FromSeconds(90));

        var feed = await server.Http.FeedAsync(integration.GroupId);
        Assert.Equal(["behind the poison"], feed.Select(p => p.Title));
        var failed = Assert.Single(await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?status=failed"));
        Assert.Equal("Quarantined: it took longer than 1 s to process; kept, an admin can retry it.", failed.Outcome);
        Assert.Equal([integration.Address.ToLowerInvariant()], failed.Recipients);

        // Never claimed again by itself: still failed, still one attempt, a while later.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var later = await server.Http.GetAsync<Api.InboundEntry>($"/api/inbound/{failed.Id}");
        Assert.Equal(("failed", 1), (later.Status, later.Attempts));

        // A member may not retry it; the owner may, and it is processed (and quarantined) again.
        var (_, member) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using (var refused = await member.PostAsync($"/api/inbound/{failed.Id}/retry", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("forbidden", (await Api.ProblemAsync(refused)).Code);
        }
        using (var retried = await server.Http.PostAsync($"/api/inbound/{failed.Id}/retry", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        }
        await WaitForAsync(server, failed.Id, e => e.Status == "failed" && e.Attempts == 1 && e.Outcome!.StartsWith("Quarantined"), TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task ServerKilledWhileProcessingAMessage_ItIsQuarantinedAtItsNextClaimAfterMaxAttempts(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database, new Dictionary<string, string>(Slow)
        {
            ["Mailroom:Inbound:MaxAttempts"] = "1",
            ["Mailroom:Inbound:ProcessingBudget"] = "00:10:00",
        });
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Crash");

        await SendRawAsync(server, integration.Address, HostileMail.Generate("many-parts", 30 * 1024 * 1024));
        var entry = (await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=1")).Single();
        await WaitForAsync(server, entry.Id, e => e.Attempts == 1, TimeSpan.FromSeconds(30));
        server.Kill();

        await server.StartAsync();
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(integration.Address, "after the crash", "Still posted."));
        await server.Http.WaitUntilProcessedAsync(TimeSpan.FromSeconds(60));

        var quarantined = await server.Http.GetAsync<Api.InboundEntry>($"/api/inbound/{entry.Id}");
        Assert.Equal("failed", quarantined.Status);
        Assert.Equal("Quarantined: the server stopped while processing it 1 times; kept, an admin can retry it.", quarantined.Outcome);
        Assert.Equal(["after the crash"], (await server.Http.FeedAsync(integration.GroupId)).Select(p => p.Title));
    }

    private static async Task SendRawAsync(MailroomServer server, string to, byte[] raw)
    {
        await using var smtp = await RawSmtp.ConnectAsync(server.SmtpPort);
        var reply = await smtp.SendAsync("hostile@example.test", [to], raw);
        Assert.StartsWith("250", reply);
    }

    private static async Task WaitForAsync(MailroomServer server, Guid id, Func<Api.InboundEntry, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Api.InboundEntry entry;
        do
        {
            entry = await server.Http.GetAsync<Api.InboundEntry>($"/api/inbound/{id}");
            if (done(entry))
            {
                return;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"Message {id} is {entry.Status} after {entry.Attempts} attempts: {entry.Outcome}");
    }
}
