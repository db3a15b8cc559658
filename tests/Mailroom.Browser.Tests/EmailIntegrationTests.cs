using System.Text;
using MailKit.Net.Smtp;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

public sealed class EmailIntegrationTests : BrowserTest
{
    private const string OwnerEmail = "ada@example.com";
    private const string OwnerPassword = "correct-horse-battery";

    [Fact]
    public Task EmailIntegration_AddedInAdmin_TurnsEmailIntoPostAndRefusesMailOnceRemoved() => Browser.RunAsync(async page =>
    {
        // First run: the setup page creates the workspace and signs the owner in.
        var setup = new SetupPage(page);
        await setup.GotoAsync();
        await Browser.ScreenshotAsync("01-setup");
        var groups = await setup.SetUpAsync("Acme", "Ada Lovelace", OwnerEmail, OwnerPassword);
        await Expect(groups.Heading).ToBeVisibleAsync();
        await Expect(groups.Sidebar.WorkspaceName).ToHaveTextAsync("Acme");
        await Browser.ScreenshotAsync("00-groups-empty");

        // Administration → Integrations → Email → Add, into a new group dedicated to these emails.
        var integrations = await groups.Sidebar.OpenEmailIntegrationsAsync();
        await Expect(integrations.Count).ToHaveTextAsync("0 of 3 active email integrations");
        var add = await integrations.AddAsync();
        await Browser.ScreenshotAsync("04-add-integration");
        var added = await add.AddToNewGroupAsync("Newsletters", "Acme Newsletter");
        Assert.Matches(@"^acme-newsletter-[a-z0-9]+@", added.Address);
        await Browser.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await added.CopyButton.ClickAsync();
        await Expect(added.CopyButton).ToHaveTextAsync("Copied");
        Assert.Equal(added.Address, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Browser.ScreenshotAsync("05-integration-added");

        // Someone outside sends an email with an attachment to the generated address.
        var subject = "Weekly newsletter #42";
        await Mail.SendAsync(Server.SmtpPort, Mail.Create(
            "grace@example.org", "Grace Hopper", added.Address, subject,
            "Hello team,\n\nHere is this week's news.\n\n-- Grace",
            "agenda.txt", Encoding.UTF8.GetBytes("1. Coffee\n2. Compilers\n"),
            ("big.bin", new byte[6 * 1024 * 1024])));

        // It becomes a post in the group's feed, recognisable as email.
        var feed = new GroupFeedPage(page);
        await feed.GotoAsync(added.GroupPath);
        var post = await feed.WaitForPostAsync(subject, TimeSpan.FromSeconds(20));
        await Expect(post.MailIcon).ToBeVisibleAsync();
        await Expect(post.Author).ToHaveTextAsync("Grace Hopper");
        await Expect(post.SenderAddress).ToHaveTextAsync("grace@example.org");
        await Expect(post.Body).ToContainTextAsync("Here is this week's news.");
        var attachment = post.Attachment("agenda.txt");
        await Expect(attachment).ToBeVisibleAsync();
        StringAssert(await attachment.GetAttributeAsync("href"), "/api/posts/", "/attachments/");
        await Expect(post.OriginalEmail).ToBeVisibleAsync();
        // Over the 5 MB limit: not attached, and the post says so.
        await Expect(post.Attachment("big.bin")).ToHaveCountAsync(0);
        await Expect(post.Note).ToContainTextAsync("big.bin");
        await Expect(post.Note).ToContainTextAsync("5 MB");
        await Browser.ScreenshotAsync("03-feed");

        // The inbound log shows the message and what became of it.
        var log = await new Sidebar(page).OpenInboundLogAsync();
        await Expect(log.Row(subject)).ToContainTextAsync("posted");
        await Browser.ScreenshotAsync("06-inbound-log");
        await page.GotoAsync("/groups");
        await Expect(groups.Group("Newsletters")).ToContainTextAsync("1 post");
        await Browser.ScreenshotAsync("00-groups");

        // The gear finds the address again; gear → trash → Remove takes it away.
        integrations = await new Sidebar(page).OpenEmailIntegrationsAsync();
        await Expect(integrations.Count).ToHaveTextAsync("1 of 3 active email integrations");
        await Expect(integrations.Row("Acme Newsletter")).ToContainTextAsync(added.Address);
        var panel = await integrations.OpenSettingsAsync("Acme Newsletter");
        await Expect(panel).ToContainTextAsync(added.Address);
        await Browser.ScreenshotAsync("02-integrations");
        var confirmation = await integrations.StartRemovingAsync("Acme Newsletter");
        await Expect(confirmation).ToContainTextAsync("Emails to it will be refused; its posts stay.");
        await Browser.ScreenshotAsync("02b-remove-confirm");
        await integrations.ConfirmRemovalAsync();
        await Expect(integrations.Row("Acme Newsletter")).ToHaveCountAsync(0);
        await Expect(integrations.Count).ToHaveTextAsync("0 of 3 active email integrations");

        // Mail to the removed address is refused at RCPT.
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(Server.SmtpPort, Mail.Create(
            "grace@example.org", "Grace Hopper", added.Address, "Anyone there?", "Hello?", "empty.txt", [])));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
    });

    private static void StringAssert(string? actual, params string[] parts)
    {
        Assert.NotNull(actual);
        foreach (var part in parts)
        {
            Assert.Contains(part, actual);
        }
    }
}
