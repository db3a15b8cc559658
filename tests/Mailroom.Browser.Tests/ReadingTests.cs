using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using MimeKit;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>Reading what email brought: who sent it (name first), pictures previewed, newsletters that fit a phone.</summary>
public sealed class ReadingTests : BrowserTest
{
    private const string Email = "owner@example.com";
    private const string Password = "a-long-enough-password";

    private string _groupAddress = "";
    private Guid _groupId;
    private Guid _taskId;
    private string _taskAddress = "";

    protected override async Task BeforeBrowserAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var setup = await http.PostAsJsonAsync("/api/setup", new { workspaceName = "Acme", ownerName = "Ada Lovelace", email = Email, password = Password });
        setup.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await setup.Content.ReadFromJsonAsync<SetupResponse>())!.Token);
        var integration = await PostAsync<IntegrationResponse>(http, "/api/integrations/email", new { title = "Site news", newGroupName = "Site news" });
        (_groupAddress, _groupId) = (integration.Address, integration.GroupId);
        var space = await PostAsync<IdResponse>(http, "/api/spaces", new { name = "Operations" });
        var list = await PostAsync<IdResponse>(http, $"/api/spaces/{space.Id}/lists", new { name = "Repairs" });
        using (var app = await http.PutAsJsonAsync("/api/email-app", new { enabled = true, allSpaces = true, replyMode = "threaded" }))
        {
            app.EnsureSuccessStatusCode();
        }
        var task = await PostAsync<TaskResponse>(http, $"/api/lists/{list.Id}/tasks", new { name = "Fix the gate", description = "It squeaks." });
        (_taskId, _taskAddress) = (task.Id, task.Address);
    }

    [Fact]
    public Task EmailWithPhotoAndWideNewsletter_ShowsNameFirst_AThumbnail_AndFitsAPhone() => Browser.RunAsync(async page =>
    {
        var photo = Jpeg(1600, 1200);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Bob Builder", "bob@builder.example"));
        message.To.Add(MailboxAddress.Parse(_groupAddress));
        message.Subject = "Site report";
        var body = new BodyBuilder
        {
            TextBody = "The wall is up.",
            HtmlBody = """
                <h1>WEEKLY SITE NEWSLETTER</h1>
                <table width="600" style="width:600px" cellpadding="0"><tr>
                  <td width="300" style="white-space:nowrap">The north wall is up and the roof beams arrive on Thursday.</td>
                  <td width="300">Read everything at https://builder.example/reports/2026/week-48/the-complete-and-very-long-report-address</td>
                </tr></table>
                <p>Supercalifragilisticexpialidocious-unbreakable-word-that-goes-on-and-on-and-on-forever</p>
                """,
        };
        body.Attachments.Add("wall.jpg", photo, new ContentType("image", "jpeg"));
        body.Attachments.Add("invoice.txt", "Bricks: 400"u8.ToArray(), new ContentType("text", "plain"));
        message.Body = body.ToMessageBody();
        await Mail.SendAsync(Server.SmtpPort, message);
        await Mail.SendAsync(Server.SmtpPort, Mail.Create("bob@builder.example", "Bob Builder", _taskAddress, "Re: Fix the gate",
            "Oiled it, no more squeak.", "receipt.txt", "Oil: 1"u8.ToArray()));

        var signIn = new SignInPage(page);
        await signIn.GotoAsync();
        await signIn.SubmitAsync(Email, Password);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });

        // The feed: the sender's name first, the address beside it.
        var feed = new GroupFeedPage(page);
        await feed.GotoAsync($"/groups/{_groupId}");
        var post = await feed.WaitForPostAsync("Site report", TimeSpan.FromSeconds(20));
        await Expect(post.Author).ToHaveTextAsync("Bob Builder");
        await Expect(post.SenderAddress).ToHaveTextAsync("bob@builder.example");
        Assert.StartsWith("Bob Builder", (await post.Article.Locator(".sender").InnerTextAsync()).Trim());

        // The photo: a thumbnail Mailroom drew, inside the download link; the text file stays a plain link.
        var thumbnail = Thumbnails.Of(post.Article, "wall.jpg");
        await Expect(thumbnail).ToHaveAttributeAsync("src", new Regex("^/api/posts/[0-9a-f-]+/attachments/[0-9a-f-]+/thumbnail$"));
        Assert.Equal(320, await Thumbnails.NaturalWidthAsync(thumbnail));
        var download = post.Attachment("wall.jpg");
        await Expect(download).ToHaveAttributeAsync("href", new Regex("^/api/posts/[0-9a-f-]+/attachments/[0-9a-f-]+$"));
        await Expect(post.Article.GetByRole(AriaRole.Img, new() { Name = "invoice.txt" })).ToHaveCountAsync(0);
        await Expect(post.Attachment("invoice.txt")).ToBeVisibleAsync();

        // The email's <h1> does not outweigh the post's title.
        var titleSize = await post.Title.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        var headingSize = await post.Body.Locator("h1").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(headingSize <= titleSize, $"the email's h1 is {headingSize}px, the post's title {titleSize}px");
        await Browser.ScreenshotAsync("reading-feed-1280");

        // The comment on the task: the same form, name first.
        await page.GotoAsync($"/tasks/{_taskId}");
        var comment = await WaitForCommentAsync(page, "Oiled it");
        await Expect(comment.Author).ToHaveTextAsync("Bob Builder");
        await Expect(comment.Article.GetByTestId("sender-address")).ToHaveTextAsync("bob@builder.example");
        await Browser.ScreenshotAsync("reading-task-1280");

        // On a 390-px phone the 600-px table scrolls inside the post; the page does not.
        await page.SetViewportSizeAsync(390, 844);
        await feed.GotoAsync($"/groups/{_groupId}");
        var table = post.Body.Locator("table");
        await Expect(table).ToBeVisibleAsync();
        // The table's "no-wrap" cell is wider than the phone: it scrolls inside its own box.
        Assert.True(await table.EvaluateAsync<bool>("t => t.scrollWidth > t.clientWidth"), "the table keeps its width and scrolls inside");
        foreach (var box in new[] { await table.BoundingBoxAsync(), await post.Article.BoundingBoxAsync() })
        {
            Assert.True(box!.X + box.Width <= 390, $"a box of the post ends at {box.X + box.Width}px");
        }
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        var (scroll, client) = (widths[0], widths[1]);
        Assert.True(scroll <= client, $"the feed is {scroll}px wide in a {client}px window");
        await Browser.ScreenshotAsync("reading-feed-390");
    });

    private static async Task<TaskComment> WaitForCommentAsync(IPage page, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var comment = page.Locator("article.comment").Filter(new() { HasText = text });
        while (await comment.CountAsync() == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No comment \"{text}\" appeared.");
            }
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        return new TaskComment(comment);
    }

    private static byte[] Jpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint())
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.SteelBlue, SKColors.Orange], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }

    private static async Task<T> PostAsync<T>(HttpClient http, string url, object body)
    {
        using var response = await http.PostAsJsonAsync(url, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private sealed record SetupResponse(string Token);
    private sealed record IntegrationResponse(Guid GroupId, string Address);
    private sealed record IdResponse(Guid Id);
    private sealed record TaskResponse(Guid Id, string Address);
}
