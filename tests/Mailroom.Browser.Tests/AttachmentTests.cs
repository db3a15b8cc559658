using System.Net.Http.Json;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using MimeKit;

namespace Mailroom.Browser.Tests;

/// <summary>A stranger's attachment is a file to download, never a page or a script of Mailroom's origin.</summary>
public sealed class AttachmentTests : BrowserTest
{
    private const string Email = "owner@example.com";
    private const string Password = "a-long-enough-password";

    // Each would leave a mark if it ran as Mailroom's origin: storage, a cookie, a call to the API.
    private const string Payload = "localStorage.setItem('pwned','1'); document.cookie = 'pwned=1; path=/'; window.pwned = true; fetch('/api/me?pwned=1');";

    private string _address = "";
    private Guid _groupId;

    protected override async Task BeforeBrowserAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var setup = await http.PostAsJsonAsync("/api/setup", new { workspaceName = "Acme", ownerName = "Ada Lovelace", email = Email, password = Password });
        setup.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await setup.Content.ReadFromJsonAsync<SetupResponse>())!.Token);
        using var added = await http.PostAsJsonAsync("/api/integrations/email", new { title = "Support", newGroupName = "Support" });
        added.EnsureSuccessStatusCode();
        var integration = (await added.Content.ReadFromJsonAsync<IntegrationResponse>())!;
        (_address, _groupId) = (integration.Address, integration.GroupId);
    }

    [Fact]
    public Task HtmlAndScriptAttachments_OpenedFromTheFeed_RunNothing() => Browser.RunAsync(async page =>
    {
        var requested = new List<string>();
        page.Context.Request += (_, request) => requested.Add(request.Url);
        var signIn = new SignInPage(page);
        await signIn.GotoAsync();
        await signIn.SubmitAsync(Email, Password);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mallory", "mallory@evil.example"));
        message.To.Add(MailboxAddress.Parse(_address));
        message.Subject = "Your invoice";
        var body = new BodyBuilder { TextBody = "Open the invoice." };
        body.Attachments.Add("invoice.html", System.Text.Encoding.UTF8.GetBytes($"<html><body><h1>Invoice</h1><script>{Payload}</script></body></html>"), new ContentType("text", "html"));
        body.Attachments.Add("helper.js", System.Text.Encoding.UTF8.GetBytes(Payload), new ContentType("application", "javascript"));
        message.Body = body.ToMessageBody();
        await Mail.SendAsync(Server.SmtpPort, message);

        var feed = new GroupFeedPage(page);
        await feed.GotoAsync($"/groups/{_groupId}");
        var post = await feed.WaitForPostAsync("Your invoice", TimeSpan.FromSeconds(20));

        // Clicked in the feed, the HTML is a download.
        var download = await page.RunAndWaitForDownloadAsync(() => post.Attachment("invoice.html").ClickAsync());
        Assert.Equal("invoice.html", download.SuggestedFilename);

        // Opened by its address in a tab of its own (a link without the download attribute), still no page.
        var htmlUrl = await post.Attachment("invoice.html").GetAttributeAsync("href");
        var tab = await page.Context.NewPageAsync();
        try
        {
            await tab.GotoAsync(htmlUrl!);
        }
        catch (PlaywrightException)
        {
            // "Download is starting": the browser never rendered it.
        }
        await tab.CloseAsync();

        // Pulled into a page of this origin as a script, as a sanitiser slip would: refused.
        var jsUrl = await post.Attachment("helper.js").GetAttributeAsync("href");
        var loaded = await page.EvaluateAsync<string>("""
            url => new Promise(resolve => {
                const s = document.createElement('script');
                s.src = url;
                s.onload = () => resolve('loaded');
                s.onerror = () => resolve('refused');
                document.head.appendChild(s);
            })
            """, jsUrl);
        Assert.Equal("refused", loaded);
        await page.WaitForTimeoutAsync(500);

        Assert.False(await page.EvaluateAsync<bool>("() => window.pwned === true"));
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('pwned')"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "pwned");
        Assert.DoesNotContain(requested, url => url.Contains("pwned=1"));
    });

    private sealed record SetupResponse(string Token);
    private sealed record IntegrationResponse(Guid GroupId, string Address);
}
