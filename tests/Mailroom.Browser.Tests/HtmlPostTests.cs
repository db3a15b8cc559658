using System.Net.Http.Json;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>An HTML email in the feed: its formatting shows, nothing in it runs or loads from outside.</summary>
public sealed class HtmlPostTests : BrowserTest
{
    private const string Email = "owner@example.com";
    private const string Password = "a-long-enough-password";

    // A 1×1 PNG: small, but a real image the browser decodes.
    private static readonly byte[] Logo = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private string _address = "";
    private Guid _groupId;

    protected override async Task BeforeBrowserAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var setup = await http.PostAsJsonAsync("/api/setup", new { workspaceName = "Acme", ownerName = "Ada Lovelace", email = Email, password = Password });
        setup.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await setup.Content.ReadFromJsonAsync<SetupResponse>())!.Token);
        using var added = await http.PostAsJsonAsync("/api/integrations/email", new { title = "Newsletter", newGroupName = "Newsletters" });
        added.EnsureSuccessStatusCode();
        var integration = (await added.Content.ReadFromJsonAsync<IntegrationResponse>())!;
        (_address, _groupId) = (integration.Address, integration.GroupId);
    }

    [Fact]
    public Task HtmlEmail_ShowsFormatted_RunsNoScript_LoadsNothingRemote_TextEmailKeepsLineBreaks() => Browser.RunAsync(async page =>
    {
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(request.Url);
        var signIn = new SignInPage(page);
        await signIn.GotoAsync();
        await signIn.SubmitAsync(Email, Password);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Grace Hopper", "grace@example.org"));
        message.To.Add(MailboxAddress.Parse(_address));
        message.Subject = "Launch news";
        var body = new BodyBuilder
        {
            TextBody = "The launch moved. See the plan.",
            HtmlBody = """
                <h2 style="color: #3454d1">Launch news</h2>
                <p id="moved" onclick="window.clicked = true">The <b>launch</b> moved to <a href="https://example.com/plan">the plan</a>.</p>
                <ul><li>Monday: <i>freeze</i></li><li>Tuesday: ship</li></ul>
                <script>window.pwned = true; document.title = 'pwned';</script>
                <img src="x" onerror="window.pwned = true">
                <p><img src="cid:logo@acme" alt="Acme logo"> Acme</p>
                <p><img src="https://images.example/chart.png" alt="Sales chart" width="400"></p>
                <img src="https://tracker.example/open.gif" width="1" height="1">
                """,
        };
        body.LinkedResources.Add("logo.png", Logo, new ContentType("image", "png")).ContentId = "logo@acme";
        message.Body = body.ToMessageBody();
        await Mail.SendAsync(Server.SmtpPort, message);
        await Mail.SendAsync(Server.SmtpPort, Mail.Create("grace@example.org", "Grace Hopper", _address, "Plain words",
            "Line one\nLine two\n\n<b>not bold</b>", "notes.txt", [1]));

        var feed = new GroupFeedPage(page);
        await feed.GotoAsync($"/groups/{_groupId}");
        var post = await feed.WaitForPostAsync("Launch news", TimeSpan.FromSeconds(20));
        var plain = await feed.WaitForPostAsync("Plain words", TimeSpan.FromSeconds(20));

        // The formatting shows.
        await Expect(post.Body.Locator("b")).ToHaveTextAsync("launch");
        await Expect(post.Body.Locator("i")).ToHaveTextAsync("freeze");
        await Expect(post.Body.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        var link = post.Body.GetByRole(AriaRole.Link, new() { Name = "the plan" });
        await Expect(link).ToHaveAttributeAsync("href", "https://example.com/plan");
        await Expect(link).ToHaveAttributeAsync("target", "_blank");
        await Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");

        // The inline logo is served by Mailroom and shows; the remote chart is a link to open on purpose.
        var logo = post.Body.GetByRole(AriaRole.Img, new() { Name = "Acme logo" });
        await Expect(logo).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^/api/posts/.+/attachments/"));
        Assert.Equal(1, await logo.EvaluateAsync<int>("img => img.decode().then(() => img.naturalWidth)"));
        await Expect(post.Body.GetByRole(AriaRole.Link, new() { Name = "Sales chart" })).ToHaveAttributeAsync("href", "https://images.example/chart.png");
        await Expect(post.Body.Locator("img")).ToHaveCountAsync(1);

        // Nothing in it ran, not even when clicked.
        await post.Body.GetByText("moved to").ClickAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => window.pwned === true || window.clicked === true || document.title === 'pwned'"));
        Assert.DoesNotContain(requested, url => url.Contains("images.example") || url.Contains("tracker.example"));
        await Browser.ScreenshotAsync("23-feed-html");

        // A text email shows its own line breaks, and its markup as text.
        var text = await plain.Body.InnerTextAsync();
        Assert.Contains("Line one\nLine two", text);
        Assert.Contains("<b>not bold</b>", text);
        await Expect(plain.Body.Locator("b")).ToHaveCountAsync(0);
    });

    private sealed record SetupResponse(string Token);
    private sealed record IntegrationResponse(Guid GroupId, string Address);
}
