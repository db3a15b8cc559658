using System.Net;
using MailKit.Net.Smtp;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// "Why didn't my email arrive?": recipients refused at RCPT by a real SMTP client are in the
/// inbound log (API and page) with their reason, repeats fold into one row, the table stays
/// bounded, filters narrow it, and accepted messages link to what they made.
/// </summary>
public class RcptRefusalLogTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    public sealed record Refusal(Guid Id, string Address, string MailFrom, string? RemoteAddress, string Reason, string Explanation, string Reply, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, int Count);
    public sealed record Link(string Kind, Guid Id, string Title, string Url);
    public sealed record Entry(Guid Id, string Status, string? Subject, List<string> Recipients, List<Link> Created);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RefusedRecipients_AreInTheApiAndThePage_WithTheirReason(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Sales");
        var list = await server.Http.CreateListAsync(space.Id, "Leads");
        var unknown = $"nobody@{server.MailDomain}";

        // Unknown address, and a list while the Email app is still off.
        await RefusedAsync(server, MailFactory.Simple(unknown, "Lost?", from: "carol@customer.example"), "no such address here");
        await RefusedAsync(server, MailFactory.Simple(list.Address!, "Early lead", from: "dave@customer.example"), "The Email app is not enabled for this space");
        // A guest writing to the list once the app is on; an integration's address after its removal.
        await server.Http.SetEmailAppAsync(true);
        (await server.Http.AddMemberAsync("Gus Guest", "gus@guest.example", "Guest")).Client.Dispose();
        await RefusedAsync(server, MailFactory.Simple(list.Address!, "From a guest", from: "gus@guest.example"), "Guests cannot use the Email app");
        var integration = await server.Http.AddIntegrationAsync("Newsletter");
        Assert.True((await server.Http.DeleteAsync($"/api/integrations/email/{integration.Id}")).IsSuccessStatusCode);
        await RefusedAsync(server, MailFactory.Simple(integration.Address, "Old address", from: "erin@customer.example"), "removed");

        var refusals = await WaitForRefusalsAsync(server, "", r => r.Count == 4);
        var byReason = refusals.ToDictionary(r => r.Reason);
        Assert.Equal(["address_removed", "email_app_off", "guest_sender", "unknown_address"], byReason.Keys.Order());
        Assert.Equal(unknown, byReason["unknown_address"].Address);
        Assert.Equal("carol@customer.example", byReason["unknown_address"].MailFrom);
        Assert.Equal("127.0.0.1", byReason["unknown_address"].RemoteAddress);
        Assert.StartsWith("550 5.1.1", byReason["unknown_address"].Reply);
        Assert.Equal(list.Address!.ToLowerInvariant(), byReason["email_app_off"].Address);
        Assert.Contains("The Email app is not enabled for this space", byReason["email_app_off"].Reply);
        Assert.StartsWith("550 5.7.1", byReason["guest_sender"].Reply);
        Assert.Equal("gus@guest.example", byReason["guest_sender"].MailFrom);
        Assert.All(refusals, r => Assert.Equal(1, r.Count));
        Assert.Equal(refusals.Select(r => r.LastSeenAt).OrderDescending(), refusals.Select(r => r.LastSeenAt));
        // Nothing was stored as a message.
        Assert.Empty(await server.Http.GetAsync<List<Entry>>("/api/inbound?take=10"));

        var page = await PageAsync(server, "/admin/inbound?status=refused");
        Assert.Contains("Refused at RCPT", page);
        Assert.Contains(unknown, page);
        Assert.Contains("carol@customer.example", page);
        Assert.Contains("No integration, list or task has this address", page);
        Assert.Contains("The Email app is off for this list's or task's space", page);
        Assert.Contains("guests cannot use the Email app", page);
        Assert.Contains("550 5.1.1", page);
        // The first page ("All") shows them too, under the messages.
        Assert.Contains("No integration, list or task has this address", await PageAsync(server, "/admin/inbound"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task HammeringOneAddress_MakesOneRowWithACount(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var target = $"ghost@{server.MailDomain}";

        for (var session = 0; session < 3; session++)
        {
            await using var smtp = await RawSmtp.ConnectAsync(server.SmtpPort);
            Assert.StartsWith("250", await smtp.CommandAsync("MAIL FROM:<spammer@bad.example>"));
            for (var i = 0; i < 8; i++)
            {
                Assert.StartsWith("550", await smtp.CommandAsync($"RCPT TO:<{target}>"));
            }
        }
        // Another sender to the same address is another line.
        await RefusedAsync(server, MailFactory.Simple(target, "Hello", from: "friend@good.example"), "no such address here");

        var refusals = await WaitForRefusalsAsync(server, "", r => r.Sum(x => x.Count) == 25);
        Assert.Equal(2, refusals.Count);
        var hammered = Assert.Single(refusals, r => r.MailFrom == "spammer@bad.example");
        Assert.Equal(24, hammered.Count);
        Assert.Equal(target, hammered.Address);
        Assert.True(hammered.LastSeenAt > hammered.FirstSeenAt);
        Assert.Equal(1, Assert.Single(refusals, r => r.MailFrom == "friend@good.example").Count);
        Assert.Contains("24×", await PageAsync(server, "/admin/inbound?status=refused"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task CountBound_RemovesTheOldestRefusalsFirst(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database, new Dictionary<string, string> { ["Mailroom:Inbound:MaxRefusals"] = "3" });
        await server.SetupAsync();

        await using (var smtp = await RawSmtp.ConnectAsync(server.SmtpPort))
        {
            Assert.StartsWith("250", await smtp.CommandAsync("MAIL FROM:<prober@bad.example>"));
            for (var i = 1; i <= 6; i++)
            {
                Assert.StartsWith("550", await smtp.CommandAsync($"RCPT TO:<probe{i}@{server.MailDomain}>"));
                // Each refusal its own moment, so "oldest" is well defined.
                await Task.Delay(20);
            }
        }

        var kept = await WaitForRefusalsAsync(server, "", r => r.Count == 3 && r.Any(x => x.Address.StartsWith("probe6@")));
        Assert.Equal(["probe6", "probe5", "probe4"], kept.Select(r => r.Address.Split('@')[0]));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Retention_RemovesRefusalsOlderThanIt(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database, new Dictionary<string, string> { ["Mailroom:Inbound:RefusalRetention"] = "00:00:02" });
        await server.SetupAsync();

        await RefusedAsync(server, MailFactory.Simple($"old@{server.MailDomain}", "One"), "no such address here");
        Assert.Single(await WaitForRefusalsAsync(server, "", r => r.Count == 1));
        Assert.Contains("Kept for 2 seconds", await PageAsync(server, "/admin/inbound?status=refused"), StringComparison.OrdinalIgnoreCase);

        await WaitForRefusalsAsync(server, "", r => r.Count == 0);
        // The log goes on recording after pruning.
        await RefusedAsync(server, MailFactory.Simple($"new@{server.MailDomain}", "Two"), "no such address here");
        Assert.Equal($"new@{server.MailDomain}", Assert.Single(await WaitForRefusalsAsync(server, "", r => r.Count == 1)).Address);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Filters_ByStatusAndAddress_ReturnOnlyMatchingRows_InTheApiAndThePage(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var sales = await server.Http.AddIntegrationAsync("Sales");
        var support = await server.Http.AddIntegrationAsync("Support");
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(sales.Address, "Quote for 40 chairs", from: "buyer@shop.example"));
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(support.Address, "Printer broken", from: "user@office.example"));
        await server.Http.WaitUntilProcessedAsync();
        await RefusedAsync(server, MailFactory.Simple($"sales-old@{server.MailDomain}", "Lost quote", from: "buyer@shop.example"), "no such address here");
        await RefusedAsync(server, MailFactory.Simple($"helpdesk@{server.MailDomain}", "Lost ticket", from: "user@office.example"), "no such address here");
        await WaitForRefusalsAsync(server, "", r => r.Count == 2);

        var salesOnly = await server.Http.GetAsync<List<Entry>>("/api/inbound?address=" + Uri.EscapeDataString(sales.Address.ToUpperInvariant()));
        Assert.Equal("Quote for 40 chairs", Assert.Single(salesOnly).Subject);
        var bySender = await server.Http.GetAsync<List<Entry>>("/api/inbound?address=office.example");
        Assert.Equal("Printer broken", Assert.Single(bySender).Subject);
        Assert.Single(await server.Http.GetAsync<List<Entry>>("/api/inbound?status=posted&address=office.example"));
        Assert.Empty(await server.Http.GetAsync<List<Entry>>("/api/inbound?status=failed&address=office.example"));
        var refused = await server.Http.GetAsync<List<Refusal>>("/api/inbound/refusals?address=shop.example");
        Assert.Equal($"sales-old@{server.MailDomain}", Assert.Single(refused).Address);
        Assert.Equal($"helpdesk@{server.MailDomain}", Assert.Single(await server.Http.GetAsync<List<Refusal>>("/api/inbound/refusals?address=HELPDESK")).Address);

        using (var wrongStatus = await server.Http.GetAsync("/api/inbound?status=refused"))
        {
            var problem = await Api.ProblemAsync(wrongStatus);
            Assert.Equal(("invalid_status", 400), (problem.Code, problem.Status));
            Assert.Contains("/api/inbound/refusals", problem.Detail);
        }
        using (var tooLong = await server.Http.GetAsync("/api/inbound/refusals?address=" + new string('a', 321)))
        {
            Assert.Equal("invalid_address", (await Api.ProblemAsync(tooLong)).Code);
        }

        var page = await PageAsync(server, "/admin/inbound?address=shop.example");
        Assert.Contains("Quote for 40 chairs", page);
        Assert.Contains($"sales-old@{server.MailDomain}", page);
        Assert.DoesNotContain("Printer broken", page);
        Assert.DoesNotContain("helpdesk@", page);
        // The filter is a GET form holding the address, and the status links keep it: a filtered view is a bookmark.
        Assert.Matches("<form method=\"get\" action=\"/admin/inbound\"", page);
        Assert.Contains("name=\"address\" value=\"shop.example\"", page);
        Assert.Contains("href=\"/admin/inbound?status=refused&address=shop.example\"", page);
        var refusedView = await PageAsync(server, "/admin/inbound?status=refused&address=shop.example");
        Assert.Contains($"sales-old@{server.MailDomain}", refusedView);
        Assert.DoesNotContain("Quote for 40 chairs", refusedView);
        Assert.DoesNotContain("helpdesk@", refusedView);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AcceptedMessages_LinkToThePostTaskAndCommentTheyMade(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Announcements");
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Renew the lease");
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(integration.Address, "Office closed Friday"));
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(list.Address!, "Broken badge reader"));
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(task.Address!, "Re: lease", "The landlord agreed."));
        await server.Http.WaitUntilProcessedAsync();

        var log = await server.Http.GetAsync<List<Entry>>("/api/inbound?take=10");
        var post = Assert.Single((await server.Http.FeedAsync(integration.GroupId)));
        var postLink = Assert.Single(log.Single(e => e.Subject == "Office closed Friday").Created);
        Assert.Equal(("post", post.Id, $"/groups/{integration.GroupId}#post-{post.Id}"), (postLink.Kind, postLink.Id, postLink.Url));
        var made = (await server.Http.TasksAsync(list.Id)).Single(t => t.Name == "Broken badge reader");
        var taskLink = Assert.Single(log.Single(e => e.Subject == "Broken badge reader").Created);
        Assert.Equal(("task", made.Id, $"/tasks/{made.Id}"), (taskLink.Kind, taskLink.Id, taskLink.Url));
        var comment = Assert.Single(await server.Http.CommentsAsync(task.Id));
        var commentLink = Assert.Single(log.Single(e => e.Subject == "Re: lease").Created);
        Assert.Equal(("comment", comment.Id, $"/tasks/{task.Id}#comment-{comment.Id}"), (commentLink.Kind, commentLink.Id, commentLink.Url));
        Assert.Equal(commentLink, Assert.Single((await server.Http.GetAsync<Entry>($"/api/inbound/{log.Single(e => e.Subject == "Re: lease").Id}")).Created));

        // The page links there, and each link's anchor is on the page it opens.
        var page = await PageAsync(server, "/admin/inbound");
        foreach (var link in new[] { postLink, taskLink, commentLink })
        {
            Assert.Contains($"href=\"{link.Url}\"", page);
            var target = link.Url.Split('#');
            if (target.Length == 2)
            {
                Assert.Contains($"id=\"{target[1]}\"", await PageAsync(server, target[0]));
            }
        }
        Assert.Contains("Post \"Office closed Friday\" in Announcements group", page);
    }

    /// <summary>Sends with MailKit, as a real client would, and expects the recipient refused with the text.</summary>
    private static async Task RefusedAsync(MailroomServer server, MimeKit.MimeMessage message, string text)
    {
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Smtp.SendAsync(server.SmtpPort, message));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        Assert.Contains(text, refused.Message);
    }

    /// <summary>Refusals are written off the session's path: waits until the log shows what is expected.</summary>
    private static async Task<List<Refusal>> WaitForRefusalsAsync(MailroomServer server, string query, Func<List<Refusal>, bool> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var refusals = await server.Http.GetAsync<List<Refusal>>("/api/inbound/refusals?take=500" + query);
            if (expected(refusals))
            {
                return refusals;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The refusal log never showed what was expected; it has: {string.Join("; ", refusals.Select(r => $"{r.Address} {r.Reason} ×{r.Count}"))}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The page's HTML as the admin's browser gets it, entities decoded.</summary>
    private static async Task<string> PageAsync(MailroomServer server, string path)
    {
        using var response = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
