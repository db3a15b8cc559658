using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;
using MimeKit;

namespace Mailroom.Tests.EndToEnd;

/// <summary>What an email brought, served back: never as this origin's page, never its secret address to a guest.</summary>
public class DownloadsTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Original_GuestInTheGroup_Gets403AndTheFeedOffersNoOriginal_MembersStillDo(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Press", newGroupName: "Press");
        var (gus, gusClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = gusClient;
        using var __ = miaClient;
        foreach (var id in new[] { gus.Id, mia.Id })
        {
            using var join = await server.Http.PostAsJsonAsync($"/api/groups/{integration.GroupId}/members", new { userId = id, isManager = false });
            await Api.EnsureAsync(join);
        }
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(integration.Address, "Launch coverage"));
        await server.Http.WaitUntilProcessedAsync();

        // The guest reads the post, but neither the API nor the page offers its original...
        var guestPost = Assert.Single(await gusClient.FeedAsync(integration.GroupId));
        Assert.Equal("Launch coverage", guestPost.Title);
        Assert.False(guestPost.HasOriginal, "a guest's feed offers no original email");
        Assert.False((await gusClient.GetAsync<Api.Post>($"/api/posts/{guestPost.Id}")).HasOriginal);
        using (var original = await gusClient.GetAsync($"/api/posts/{guestPost.Id}/original"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, original.StatusCode);
            Assert.Equal("forbidden", (await Api.ProblemAsync(original)).Code);
        }

        // ...while a member of the group downloads it, the secret address in its To:.
        Assert.True(Assert.Single(await miaClient.FeedAsync(integration.GroupId)).HasOriginal);
        var eml = await miaClient.GetStringAsync($"/api/posts/{guestPost.Id}/original");
        Assert.Contains(integration.Address, eml);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AttachmentAndOriginal_AreSandboxedDownloadsWithASafeName(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Support", newGroupName: "Support");
        var message = MailFactory.Simple(integration.Address, "Have a look");
        var body = new BodyBuilder { TextBody = "See the page." };
        body.Attachments.Add("invoice\u202Elmth.html", "<script>document.cookie='pwned=1'</script>"u8.ToArray(), new ContentType("text", "html"));
        message.Body = body.ToMessageBody();
        await Smtp.SendAsync(server.SmtpPort, message);
        await server.Http.WaitUntilProcessedAsync();

        var post = Assert.Single(await server.Http.FeedAsync(integration.GroupId));
        var attachment = Assert.Single(post.Attachments);
        foreach (var url in new[] { attachment.DownloadUrl, $"/api/posts/{post.Id}/original" })
        {
            using var response = await server.Http.GetAsync(url);
            await Api.EnsureAsync(response);
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.StartsWith("sandbox", csp);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            var disposition = response.Content.Headers.ContentDisposition;
            Assert.NotNull(disposition);
            Assert.Equal("attachment", disposition.DispositionType);
            var name = disposition.FileNameStar ?? disposition.FileName!.Trim('"');
            Assert.DoesNotContain('\u202E', name);
            Assert.DoesNotContain('/', name);
        }
        using var html = await server.Http.GetAsync(attachment.DownloadUrl);
        Assert.Equal("invoice_lmth.html", html.Content.Headers.ContentDisposition!.FileNameStar);
        // Not text/html: with nosniff, no browser takes it for a page, script or style sheet of this origin.
        Assert.Equal("application/octet-stream", html.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/html", attachment.ContentType);
    }
}
