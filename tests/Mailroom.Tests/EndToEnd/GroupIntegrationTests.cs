using System.Net;
using System.Net.Http.Json;
using MailKit.Net.Smtp;
using Mailroom.Tests.Infrastructure;
using MimeKit;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Feature A end to end: the real server, a real SMTP client, the API a user's tools call.</summary>
public class GroupIntegrationTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Email_WithTwoAttachmentsOneOverTheLimit_BecomesAPostWithOneAttachmentAndANote(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Customer letters", newGroupName: "Customers");

        var small = MailFactory.Random(120_000, 1);
        var large = MailFactory.Random(6 * 1024 * 1024, 2);
        var message = MailFactory.Simple(integration.Address, "Quarterly report", "Here is the report.\nSee both files.", from: "carol@partner.example", fromName: "Carol Partner");
        var body = new BodyBuilder { TextBody = "Here is the report.\nSee both files." };
        body.Attachments.Add("summary.pdf", small, new ContentType("application", "pdf"));
        body.Attachments.Add("raw-data.zip", large, new ContentType("application", "zip"));
        message.Body = body.ToMessageBody();

        await Smtp.SendAsync(server.SmtpPort, message);
        await server.Http.WaitUntilProcessedAsync();

        var post = Assert.Single(await server.Http.FeedAsync(integration.GroupId));
        Assert.Equal("Quarterly report", post.Title);
        Assert.Contains("Here is the report.", post.Body);
        Assert.True(post.FromEmail, "an email post carries the mail icon flag");
        Assert.Equal("carol@partner.example", post.Author);
        Assert.Equal("Carol Partner", post.AuthorName);
        var attachment = Assert.Single(post.Attachments);
        Assert.Equal("summary.pdf", attachment.FileName);
        Assert.Equal(small.Length, attachment.Size);
        Assert.Equal(small, await server.Http.GetByteArrayAsync(attachment.DownloadUrl));
        Assert.NotNull(post.Notes);
        Assert.Contains("raw-data.zip", post.Notes);
        Assert.Contains("5 MB", post.Notes);

        // The original email can be downloaded from the post, byte for byte what was sent.
        var original = await server.Http.GetByteArrayAsync($"/api/posts/{post.Id}/original");
        var reparsed = MimeMessage.Load(new MemoryStream(original));
        Assert.Equal(message.MessageId, reparsed.MessageId);
        Assert.Equal(2, reparsed.Attachments.Count());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RemovedIntegration_RefusesMailAt550_AndKeepsItsPosts(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Alerts");
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(integration.Address, "Before removal"));
        await server.Http.WaitUntilProcessedAsync();

        using (var removed = await server.Http.DeleteAsync($"/api/integrations/email/{integration.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(integration.Address, "After removal")));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        var post = Assert.Single(await server.Http.FeedAsync(integration.GroupId));
        Assert.Equal("Before removal", post.Title);
        var list = await server.Http.GetAsync<Api.IntegrationList>("/api/integrations/email");
        Assert.Equal(0, list.Active);
        Assert.Empty(list.Items);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PlanLimits_FreeAllowsThree_UnlimitedAllowsTen_BusinessHasNoLimit(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        for (var i = 0; i < 3; i++)
        {
            await server.Http.AddIntegrationAsync($"Feed {i}");
        }
        using (var fourth = await server.Http.PostAsJsonAsync("/api/integrations/email", new { title = "Feed 3", newGroupName = "Fourth" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, fourth.StatusCode);
            var problem = await Api.ProblemAsync(fourth);
            Assert.Equal("plan_limit_reached", problem.Code);
            Assert.Contains("Free Forever", problem.Detail);
        }
        var list = await server.Http.GetAsync<Api.IntegrationList>("/api/integrations/email");
        Assert.Equal((3, 3), (list.Active, list.Limit!.Value));

        await server.UsePlanAsync("unlimited");
        for (var i = 3; i < 10; i++)
        {
            await server.Http.AddIntegrationAsync($"Feed {i}");
        }
        using (var eleventh = await server.Http.PostAsJsonAsync("/api/integrations/email", new { title = "Feed 10", newGroupName = "Eleventh" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, eleventh.StatusCode);
        }

        await server.UsePlanAsync("business");
        await server.Http.AddIntegrationAsync("Feed 10");
        list = await server.Http.GetAsync<Api.IntegrationList>("/api/integrations/email");
        Assert.Equal(11, list.Active);
        Assert.Null(list.Limit);
        Assert.Equal(11, list.Items.Select(i => i.Address).Distinct().Count());
    }

    [Fact]
    public async Task GeneratedAddresses_CarryAtLeast80RandomBits_AndTheTitleAsDisplayName()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Équipe Com'");
        var local = integration.Address.Split('@')[0];
        Assert.EndsWith("@" + server.MailDomain, integration.Address);
        var random = local.Split('-')[^1];
        Assert.Matches("^[a-z2-7]+$", random);
        Assert.True(random.Length * 5 >= 80, $"{random} carries {random.Length * 5} bits");
        Assert.Equal("Équipe Com'", integration.Title);
    }

    [Fact]
    public async Task Setup_IsAcceptedOnlyOnce()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        using var again = await server.Http.PostAsJsonAsync("/api/setup", new { workspaceName = "Evil", ownerName = "Mallory", email = "m@evil.test", password = "password123" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("setup_already_done", (await Api.ProblemAsync(again)).Code);
    }

    [Fact]
    public async Task Members_MayAddIntegrations_OnlyWhenAnAdminAllowsIt()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var group = await server.Http.PostAsync<Api.Integration>("/api/integrations/email", new { title = "Team", newGroupName = "Team" });
        var member = await server.Http.PostAsync<Api.Member>("/api/members", new { displayName = "Mia Member", email = "mia@acme.test", password = "member-password", role = "Member" });
        using (var added = await server.Http.PostAsJsonAsync($"/api/groups/{group.GroupId}/members", new { userId = member.Id, isManager = false }))
        {
            await Api.EnsureAsync(added);
        }
        var token = (await server.Http.PostAsync<TokenBody>("/api/auth/token", new { email = "mia@acme.test", password = "member-password" })).Token;
        using var mia = new HttpClient { BaseAddress = server.Http.BaseAddress };
        mia.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using (var refused = await mia.PostAsJsonAsync("/api/integrations/email", new { title = "Mine", groupId = group.GroupId }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("forbidden", (await Api.ProblemAsync(refused)).Code);
        }

        // Group managers only: Mia is a plain member of the group, still refused.
        using (var settings = await server.Http.PatchAsJsonAsync("/api/workspace/settings", new { integrationPermission = "GroupManagers" }))
        {
            await Api.EnsureAsync(settings);
        }
        using (var refused = await mia.PostAsJsonAsync("/api/integrations/email", new { title = "Mine", groupId = group.GroupId }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using (var promoted = await server.Http.PostAsJsonAsync($"/api/groups/{group.GroupId}/members", new { userId = member.Id, isManager = true }))
        {
            await Api.EnsureAsync(promoted);
        }
        var asManager = await mia.AddIntegrationAsync("Mine", groupId: group.GroupId);
        Assert.Equal(group.GroupId, asManager.GroupId);

        // Members may not change the setting themselves.
        using (var self = await mia.PatchAsJsonAsync("/api/workspace/settings", new { integrationPermission = "AllMembers" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        }
    }

    [Fact]
    public async Task Guests_InAGroup_ReadItsFeed_ButNeverSeeItsAddress()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Client mail", newGroupName: "Client");
        var (gus, gusClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = gusClient;
        using var __ = miaClient;
        foreach (var id in new[] { gus.Id, mia.Id })
        {
            using var added = await server.Http.PostAsJsonAsync($"/api/groups/{integration.GroupId}/members", new { userId = id, isManager = false });
            await Api.EnsureAsync(added);
        }

        // The member of the group sees the address; the guest in the same group does not.
        var seenByMia = await miaClient.GetAsync<Api.IntegrationList>("/api/integrations/email");
        Assert.Contains(seenByMia.Items, i => i.Address == integration.Address);
        var seenByGus = await gusClient.GetAsync<Api.IntegrationList>("/api/integrations/email");
        Assert.Empty(seenByGus.Items);
        Assert.False(seenByGus.CanAdd);
        using (var one = await gusClient.GetAsync($"/api/integrations/email/{integration.Id}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, one.StatusCode);
            Assert.Equal("forbidden", (await Api.ProblemAsync(one)).Code);
            Assert.DoesNotContain(integration.Address, await one.Content.ReadAsStringAsync());
        }
        // ...yet reads the group's feed.
        using var feed = await gusClient.GetAsync($"/api/groups/{integration.GroupId}/posts");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
    }

    [Fact]
    public async Task Api_WithoutToken_AnswersProblemDetails401()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };
        using var response = await anonymous.GetAsync("/api/groups");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthenticated", (await Api.ProblemAsync(response)).Code);

        var openApi = await anonymous.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/integrations/email", openApi);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task HtmlEmail_IsPostedSanitised_KeepingFormattingLinksAndInlineImages(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Newsletter");
        var logo = MailFactory.Random(2_000, 7);
        var message = MailFactory.Simple(integration.Address, "Launch news");
        var body = new BodyBuilder
        {
            TextBody = "The launch moved.\nSee the plan.",
            HtmlBody = """
                <html><body>
                <p onclick="steal()">The <b>launch</b> moved to <a href="https://example.com/plan" onmouseover="steal()">the plan</a>.</p>
                <script>document.title = 'pwned'</script>
                <img src="cid:logo@acme" alt="Acme logo">
                <img src="https://images.example/chart.png" alt="Sales chart" width="400">
                <img src="https://tracker.example/open.gif" width="1" height="1">
                <div class="alert alert-error" id="add-member" style="position: fixed; top: 0; color: #c00">Red text</div>
                </body></html>
                """,
        };
        var inline = body.LinkedResources.Add("logo.png", logo, new ContentType("image", "png"));
        inline.ContentId = "logo@acme";
        message.Body = body.ToMessageBody();

        await Smtp.SendAsync(server.SmtpPort, message);
        await server.Http.WaitUntilProcessedAsync();

        var post = Assert.Single(await server.Http.FeedAsync(integration.GroupId));
        Assert.Contains("The launch moved.", post.Body);
        var html = post.BodyHtml;
        Assert.NotNull(html);
        Assert.Contains("<b>launch</b>", html);
        Assert.Contains("href=\"https://example.com/plan\"", html);
        Assert.Contains("rel=\"noopener noreferrer nofollow\"", html);
        Assert.Contains("target=\"_blank\"", html);
        Assert.Contains("<div style=\"color: rgba(204, 0, 0, 1)\">Red text</div>", html);
        foreach (var banned in (string[])["<script", "pwned", "onclick", "onmouseover", "steal()", "tracker.example", "position", "class=\"alert", "id=\"add-member\"", "src=\"https:", "src=\"cid:"])
        {
            Assert.DoesNotContain(banned, html, StringComparison.OrdinalIgnoreCase);
        }

        // The remote image is a link the reader may open, not an image the browser loads.
        Assert.Contains("<a href=\"https://images.example/chart.png\"", html);
        Assert.Contains("Sales chart</a>", html);

        // The inline logo points at the post's own attachment, which serves the bytes sent.
        var attachment = Assert.Single(post.Attachments, a => a.FileName == "logo.png");
        Assert.Contains($"src=\"{attachment.DownloadUrl}\"", html);
        Assert.Equal(logo, await server.Http.GetByteArrayAsync(attachment.DownloadUrl));
    }

    [Fact]
    public async Task TextEmail_HasNoHtml_AndKeepsItsLineBreaks()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Plain");

        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(integration.Address, "Plain text", "Line one\nLine two\n\n<b>not bold</b>"));
        await server.Http.WaitUntilProcessedAsync();

        var post = Assert.Single(await server.Http.FeedAsync(integration.GroupId));
        Assert.Null(post.BodyHtml);
        Assert.Equal("Line one\nLine two\n\n<b>not bold</b>", post.Body.Trim());
    }

    private sealed record TokenBody(string Token);
}
