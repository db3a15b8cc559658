using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Tests.Infrastructure;
using MimeKit;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// Issue 9.1 end to end: the real server asks a real DNS server on loopback. acme.test signs with
/// DKIM, publishes <c>v=spf1 ip4:127.0.0.2 -all</c> and <c>p=reject</c>; 127.0.0.2 is its mail host,
/// 127.0.0.1 "another host". Only a proven From is credited to the member it names.
/// </summary>
public class SenderVerificationTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private static readonly IPAddress AcmeHost = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress OtherHost = IPAddress.Parse("127.0.0.1");
    private static readonly TestDkim Acme = new("acme.test");

    private static TestDns Zones() => Acme.Publish(new TestDns()
        .Txt("acme.test", "v=spf1 ip4:127.0.0.2 -all")
        .Txt("_dmarc.acme.test", "v=DMARC1; p=reject")
        .Txt("guest.example", "v=spf1 ip4:127.0.0.2 -all"));

    private static Task<MailroomServer> StartAsync(Database database, string dnsServer, string messageBudget = "00:00:05") => MailroomServer.StartAsync(database, new Dictionary<string, string>
    {
        ["Mailroom:Verification:DnsServers:0"] = dnsServer,
        ["Mailroom:Verification:MessageBudget"] = messageBudget,
        // No test client connects from here: every message is judged by its own proofs.
        ["Mailroom:Verification:InternalNetworks:0"] = "192.0.2.1/32",
    });

    /// <summary>Sends over a real socket bound to <paramref name="host"/>, with its own envelope sender.</summary>
    private static async Task SendAsync(MailroomServer server, IPAddress host, string mailFrom, MimeMessage message)
    {
        using var client = new SmtpClient { LocalEndPoint = new IPEndPoint(host, 0), LocalDomain = "mail.acme.test" };
        await client.ConnectAsync("127.0.0.1", server.SmtpPort, SecureSocketOptions.None);
        await client.SendAsync(message, MailboxAddress.Parse(mailFrom), message.To.Mailboxes);
        await client.DisconnectAsync(true);
    }

    private static MimeMessage Mail(string to, string subject, string from = "owner@acme.test", string text = "Please order more toner.")
    {
        var message = MailFactory.Simple(to, subject, text, from: from, fromName: "Olivia Owner");
        message.Date = DateTimeOffset.UtcNow;
        return message;
    }

    /// <summary>Signed by acme.test, then changed on the way: the body no longer matches its hash.</summary>
    private static MimeMessage BrokenSignature(string to, string subject)
    {
        var signed = Acme.Sign(Mail(to, subject));
        using var stream = new MemoryStream();
        signed.WriteTo(stream);
        var text = Encoding.ASCII.GetString(stream.ToArray()).Replace("Please order more toner.", "Please wire 10,000 EUR to IBAN XX00.");
        return MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(text)));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task MembersSignedMail_IsCreditedToThem_ForgeriesAreShownUnverified_WithNoNameFollowerOrRights(Database database)
    {
        await using var dns = Zones();
        await using var server = await StartAsync(database, dns.Endpoint);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();

        await SendAsync(server, AcmeHost, "owner@acme.test", Acme.Sign(Mail(list.Address!, "Signed by acme")));
        await SendAsync(server, OtherHost, "attacker@evil.test", Mail(list.Address!, "Forged, unsigned"));
        await SendAsync(server, OtherHost, "owner@acme.test", BrokenSignature(list.Address!, "Forged, broken signature"));
        await server.Http.WaitUntilProcessedAsync();

        var tasks = (await server.Http.TasksAsync(list.Id)).ToDictionary(t => t.Name);
        var signed = tasks["Signed by acme"];
        Assert.NotNull(signed.CreatedByUserId);
        Assert.Equal("Olivia Owner", signed.CreatedBy);
        Assert.Equal(signed.CreatedByUserId, Assert.Single(signed.Followers).Id);
        Assert.False(signed.SenderUnverified);
        foreach (var forged in new[] { tasks["Forged, unsigned"], tasks["Forged, broken signature"] })
        {
            Assert.Null(forged.CreatedByUserId);
            Assert.Equal("owner@acme.test", forged.CreatedBy);
            Assert.Null(forged.CreatorName);
            Assert.Empty(forged.Followers);
            Assert.True(forged.SenderUnverified, forged.Name);
            var activity = await server.Http.ActivityAsync(forged.Id);
            Assert.All(activity, a => Assert.Null(a.ActorUserId));
        }

        var log = (await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=10")).ToDictionary(e => e.Subject!);
        Assert.True(log["Signed by acme"].FromAuthenticated);
        Assert.Contains("dkim=pass header.d=acme.test", log["Signed by acme"].Authentication);
        Assert.Contains("spf=pass smtp.mailfrom=acme.test", log["Signed by acme"].Authentication);
        Assert.False(log["Forged, unsigned"].FromAuthenticated);
        Assert.Contains("dkim=none; spf=none smtp.mailfrom=evil.test; dmarc=fail (p=reject) header.from=acme.test", log["Forged, unsigned"].Authentication);
        Assert.False(log["Forged, broken signature"].FromAuthenticated);
        Assert.Contains("dkim=fail; spf=fail", log["Forged, broken signature"].Authentication);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ForgedCommentOnAFollowedTask_NotifiesWithoutTheMembersName(Database database)
    {
        await using var dns = Zones();
        await using var server = await StartAsync(database, dns.Endpoint);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        var (_, mia) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = mia;
        var task = await mia.CreateTaskAsync(list.Id, "Office move");

        await SendAsync(server, OtherHost, "attacker@evil.test", Mail(task.Address!, "Re: Office move", text: "Cancel the movers, I changed my mind."));
        await server.Http.WaitUntilProcessedAsync();

        var comment = Assert.Single(await server.Http.CommentsAsync(task.Id));
        Assert.Null(comment.AuthorUserId);
        Assert.Equal("owner@acme.test", comment.Author);
        Assert.Null(comment.AuthorName);
        Assert.True(comment.SenderUnverified);
        var note = Assert.Single(await mia.GetAsync<List<NotificationBody>>("/api/notifications"));
        Assert.DoesNotContain("Olivia", note.Text);
        Assert.Contains("owner@acme.test (unverified)", note.Text);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task GuestsMailForgedAsAMember_GainsNothing_AndAProvenGuestIsStillRefused(Database database)
    {
        await using var dns = Zones();
        await using var server = await StartAsync(database, dns.Endpoint);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        (await server.Http.AddMemberAsync("Gus Guest", "gus@guest.example", "Guest")).Client.Dispose();

        // The guest's own server (127.0.0.2 passes SPF for guest.example) with the owner's From.
        await SendAsync(server, AcmeHost, "bounces@guest.example", Mail(list.Address!, "Forged by a guest"));
        // The guest as themselves, proven by SPF: refused as guests are.
        await SendAsync(server, AcmeHost, "bounces@guest.example", Mail(list.Address!, "Proven guest", from: "gus@guest.example"));
        await server.Http.WaitUntilProcessedAsync();

        var task = Assert.Single(await server.Http.TasksAsync(list.Id));
        Assert.Equal("Forged by a guest", task.Name);
        Assert.Null(task.CreatedByUserId);
        Assert.True(task.SenderUnverified);
        Assert.Empty(task.Followers);
        var log = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=10");
        var refused = Assert.Single(log, e => e.Subject == "Proven guest");
        Assert.Equal("ignored", refused.Status);
        Assert.Contains("Guests cannot use the Email app", refused.Outcome);
        Assert.True(refused.FromAuthenticated);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PostFromAForgedFrom_ShowsUnverifiedInTheGroupFeed(Database database)
    {
        await using var dns = Zones();
        await using var server = await StartAsync(database, dns.Endpoint);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Announcements", newGroupName: "Announcements");

        await SendAsync(server, OtherHost, "attacker@evil.test", Mail(integration.Address, "Forged announcement"));
        await SendAsync(server, AcmeHost, "owner@acme.test", Acme.Sign(Mail(integration.Address, "Signed announcement")));
        await server.Http.WaitUntilProcessedAsync();

        var feed = (await server.Http.FeedAsync(integration.GroupId)).ToDictionary(p => p.Title);
        Assert.True(feed["Forged announcement"].SenderUnverified);
        Assert.Null(feed["Forged announcement"].AuthorName);
        Assert.Equal("owner@acme.test", feed["Forged announcement"].Author);
        Assert.False(feed["Signed announcement"].SenderUnverified);
        Assert.Equal("Olivia Owner", feed["Signed announcement"].AuthorName);

        var page = await OwnerPageAsync(server, $"/groups/{integration.GroupId}");
        var posts = page.Split("<article", StringSplitOptions.None);
        Assert.Contains("data-testid=\"unverified\"", Assert.Single(posts, p => p.Contains("Forged announcement", StringComparison.Ordinal)));
        Assert.DoesNotContain("data-testid=\"unverified\"", Assert.Single(posts, p => p.Contains("Signed announcement", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task DeadDns_MessageIsProcessedAsUnverified_WithinAFewSeconds(Database database)
    {
        await using var server = await StartAsync(database, $"127.0.0.1:{TestDns.FreeUdpPort()}");
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        var clock = Stopwatch.StartNew();

        await SendAsync(server, AcmeHost, "owner@acme.test", Acme.Sign(Mail(list.Address!, "Sent while DNS is down")));
        await server.Http.WaitUntilProcessedAsync(TimeSpan.FromSeconds(20));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        var task = Assert.Single(await server.Http.TasksAsync(list.Id));
        Assert.True(task.SenderUnverified);
        Assert.Null(task.CreatedByUserId);
        var entry = Assert.Single(await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=10"));
        Assert.False(entry.FromAuthenticated);
        Assert.Contains("temperror", entry.Authentication);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task SilentDns_MessageIsProcessedAsUnverified_WithinTheBudget(Database database)
    {
        // A UDP socket that takes every question and never answers.
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var server = await StartAsync(database, $"127.0.0.1:{((IPEndPoint)silent.Client.LocalEndPoint!).Port}", messageBudget: "00:00:03");
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        var clock = Stopwatch.StartNew();

        await SendAsync(server, AcmeHost, "owner@acme.test", Acme.Sign(Mail(list.Address!, "Sent while DNS hangs")));
        await server.Http.WaitUntilProcessedAsync(TimeSpan.FromSeconds(30));

        // A 3 s budget for the message's DNS; the rest is the processor's poll (0.5 s) and a machine
        // shared with other test runs. Without the budget it would wait for every question in turn.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        var task = Assert.Single(await server.Http.TasksAsync(list.Id));
        Assert.True(task.SenderUnverified);
        var entry = Assert.Single(await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=10"));
        Assert.Equal("posted", entry.Status);
        Assert.Contains("temperror", entry.Authentication);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task NullEnvelopeSender_NeverBecomesAPostOrTask_AndTheLogSaysWhy(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("News", newGroupName: "News");
        var (_, list) = await server.Http.SpaceWithListAsync();

        var raw = Encoding.ASCII.GetBytes($"From: Olivia Owner <owner@acme.test>\r\nTo: {integration.Address}, {list.Address}\r\nSubject: Lunch on Friday\r\nMessage-ID: <lunch-1@acme.test>\r\n\r\nShall we meet at noon?\r\n");
        await using (var smtp = await RawSmtp.ConnectAsync(server.SmtpPort))
        {
            Assert.StartsWith("250", await smtp.SendAsync("", [integration.Address, list.Address!], raw));
        }
        await server.Http.WaitUntilProcessedAsync();

        Assert.Empty(await server.Http.FeedAsync(integration.GroupId));
        Assert.Empty(await server.Http.TasksAsync(list.Id));
        var entry = Assert.Single(await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=10"));
        Assert.Equal("ignored", entry.Status);
        Assert.Equal("auto-reply", entry.Kind);
        Assert.Contains("null envelope sender MAIL FROM:<>", entry.Outcome);
    }

    private static async Task<string> OwnerPageAsync(MailroomServer server, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await server.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private sealed record NotificationBody(Guid Id, Guid TaskId, Guid? CommentId, string Text, bool Read);
}
