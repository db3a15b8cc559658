using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

public sealed class TaskEmailTests : BrowserTest
{
    private const string OwnerEmail = "ada@example.com";
    private const string OwnerPassword = "correct-horse-battery";

    [Fact]
    public Task EmailToCopiedTaskAddress_AppearsAsCommentWithQuotedTextFolded() => Browser.RunAsync(async page =>
    {
        var setup = new SetupPage(page);
        await setup.GotoAsync();
        var groups = await setup.SetUpAsync("Acme", "Ada Lovelace", OwnerEmail, OwnerPassword);
        var sidebar = groups.Sidebar;

        // App center: the Email app is off until an admin turns it on.
        var app = await sidebar.OpenEmailAppAsync();
        await Expect(app.Enabled).Not.ToBeCheckedAsync();
        await app.EnableForAllSpacesAsync("Threaded");
        await Expect(app.Saved).ToBeVisibleAsync();
        await Expect(app.Enabled).ToBeCheckedAsync();
        await Expect(app.Audit).ToContainTextAsync("Ada Lovelace");
        await Browser.ScreenshotAsync("10-email-app");

        // A space, a list and a task, all through the pages.
        var spaces = await sidebar.OpenSpacesAsync();
        var space = await spaces.CreateAsync("Operations");
        await Expect(space.Heading).ToHaveTextAsync("Operations");
        var list = await space.CreateListAsync("Offsite");
        await Expect(list.Heading).ToHaveTextAsync("Offsite");
        var task = await list.CreateTaskAsync("Plan the offsite", "Pick a day and a place.");
        await Expect(task.Heading).ToHaveTextAsync("Plan the offsite");

        // The task's address, from its menu, onto the clipboard.
        await task.OpenMenuAsync();
        var address = (await task.MenuAddress.InnerTextAsync()).Trim();
        Assert.Matches(@"^[a-z0-9-]+@", address);
        await Browser.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await task.CopyButton.ClickAsync();
        await Expect(task.CopyButton).ToHaveTextAsync("Copied");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(address, copied);
        await Browser.ScreenshotAsync("11-task-menu");

        // Someone replies by email to the copied address, quoting the mail they answer.
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Grace Hopper", "grace@example.org"));
        message.To.Add(MailboxAddress.Parse(copied));
        message.Subject = "Re: Plan the offsite";
        message.Body = new TextPart("plain")
        {
            Text = "Sounds good, see you Tuesday.\n\nOn Mon, 23 Nov 2026 at 10:00, Someone <a@b.example> wrote:\n> Shall we meet Tuesday?\n",
        };
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", Server.SmtpPort, SecureSocketOptions.None);
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(quit: true);
        }

        // It becomes a comment: the reply text shown, the quote folded, the mail icon on it.
        var comment = await task.WaitForCommentAsync("Sounds good, see you Tuesday.", TimeSpan.FromSeconds(20));
        await Expect(comment.Body).ToHaveTextAsync("Sounds good, see you Tuesday.");
        await Expect(comment.MailIcon).ToBeVisibleAsync();
        await Expect(comment.Author).ToHaveTextAsync("Grace Hopper");
        await Expect(comment.Article.GetByTestId("sender-address")).ToHaveTextAsync("grace@example.org");
        await Expect(comment.QuotedToggle).ToBeVisibleAsync();
        await Expect(comment.QuotedText).Not.ToBeVisibleAsync();
        await Browser.ScreenshotAsync("12-task-email-comment");
        await comment.QuotedToggle.ClickAsync();
        await Expect(comment.QuotedText).ToBeVisibleAsync();
        await Expect(comment.QuotedText).ToContainTextAsync("Shall we meet Tuesday?");
        await Browser.ScreenshotAsync("13-task-quoted-open");

        // The creator follows the task, so the bell counts the emailed comment.
        await Expect(sidebar.Bell).ToHaveAttributeAsync("aria-label", "Notifications: 1 unread");

        // The bell leads to the notification; marking it read empties the count.
        var notifications = await sidebar.OpenNotificationsAsync();
        await Expect(notifications.Items).ToHaveCountAsync(1);
        await notifications.MarkAllReadAsync();
        await Expect(sidebar.Bell).ToHaveAttributeAsync("aria-label", "Notifications: 0 unread");
        await notifications.Items.First.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync("**/tasks/*", new() { WaitUntil = WaitUntilState.Commit });

        // A comment written on the page lands last in the stream.
        await task.CommentAsync("Booked the room.");
        await Expect(task.Activity.GetByRole(AriaRole.Article).Last).ToContainTextAsync("Booked the room.");
        await Browser.ScreenshotAsync("14-task-page");
    });

    [Fact]
    public Task TaskPage_ChangesStatusAndFollow_ListMenuShowsAddress_EmailTabOffersToLinkAnAccount() => Browser.RunAsync(async page =>
    {
        var setup = new SetupPage(page);
        await setup.GotoAsync();
        var groups = await setup.SetUpAsync("Acme", "Ada Lovelace", OwnerEmail, OwnerPassword);

        var spaces = await groups.Sidebar.OpenSpacesAsync();
        var space = await spaces.CreateAsync("Operations");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Your spaces" })).ToContainTextAsync("Operations");
        var list = await space.CreateListAsync("Offsite");
        await list.OpenMenuAsync();
        Assert.Matches(@"^offsite-[a-z0-9]+@", (await list.MenuAddress.InnerTextAsync()).Trim());

        var task = await list.CreateTaskAsync("Book the venue", "");
        await Expect(task.Status).ToHaveValueAsync("To do");
        await task.SetStatusAsync("In progress");
        // Saved in place; the activity is the page's, so it shows the change after a reload.
        await page.ReloadAsync();
        await Expect(task.Activity).ToContainTextAsync("In progress");

        await Expect(task.FollowButton).ToHaveTextAsync("Unfollow");
        await task.FollowButton.ClickAsync();
        await Expect(task.FollowButton).ToHaveTextAsync("Follow");

        await task.OpenTabAsync("Email");
        await Expect(task.Composer).ToContainTextAsync("No email account to send from");
        await Expect(task.Composer.GetByRole(AriaRole.Link, new() { Name = "Add an email account" })).ToHaveAttributeAsync("href", "/settings/email-accounts");
        await Browser.ScreenshotAsync("15-task-email-tab");

        await page.GetByRole(AriaRole.Link, new() { Name = "Offsite" }).ClickAsync();
        await Expect(list.Row("Book the venue")).ToContainTextAsync("In progress");
        await Browser.ScreenshotAsync("16-list");

        // The Email app for chosen spaces only: the choice is kept and audited.
        var app = await groups.Sidebar.OpenEmailAppAsync();
        await app.EnableForSpacesAsync("Operations");
        await Expect(app.Space("Operations")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Chosen spaces")).ToBeCheckedAsync();
        await Expect(app.Audit).ToContainTextAsync("Operations");
    });
}
