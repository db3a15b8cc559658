using System.Net.Http.Headers;
using System.Net.Http.Json;
using MailKit;
using MailKit.Net.Imap;
using Mailroom.Browser.Tests.Accessibility;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Mailroom.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>
/// The task's Email tab in Chromium, through a real Dovecot and Postfix: a member writes in the
/// rich-text editor, attaches a file and sends; the email shows in the activity; the recipient's
/// reply, delivered into the member's mailbox, comes back as a comment under it.
/// </summary>
public sealed class TaskComposerTests : BrowserTest
{
    private const string MiaMailbox = "mia-mailbox-secret";
    private const string MaxMailbox = "max-mailbox-secret";

    protected override IEnumerable<string> ServerArguments => ["--Mailroom:Accounts:AllowPrivateHosts=true"];

    [Fact]
    public Task Member_WritesInTrix_AttachesAFile_Sends_SeesItInTheActivity_AndTheReplyComesBack() => Browser.RunAsync(async _ =>
    {
        await using var mail = await MailServer.StartAsync([("mia", MiaMailbox), ("max", MaxMailbox)]);
        var seed = await SeededWorkspace.CreateAsync(Server);
        await LinkMiasMailboxAsync(mail);

        var page = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.MemberEmail, Axe.InstallAsync);
        await page.GotoAsync($"/tasks/{seed.TaskId}?tab=email");
        var task = new TaskPage(page);
        var form = page.GetByRole(AriaRole.Form, new() { Name = "New email" });
        await Expect(form.GetByLabel("From")).ToContainTextAsync("Mia from Acme <mia@mail.test>");

        await form.GetByLabel("To", new() { Exact = true }).FillAsync("Max Mustermann <max@mail.test>");
        await form.GetByLabel("Subject").FillAsync("Logo drafts");
        var editor = form.Locator("trix-editor");
        await Expect(page.Locator("trix-toolbar")).ToBeVisibleAsync();
        await editor.ClickAsync();
        await page.Keyboard.TypeAsync("Hello Max, the drafts are attached. Pick one by ");
        await form.Locator("trix-toolbar").GetByRole(AriaRole.Button, new() { Name = "Bold" }).ClickAsync();
        await page.Keyboard.TypeAsync("Friday");
        await Expect(form.Locator("input[name=bodyHtml]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("<strong>Friday</strong>"));
        await form.GetByLabel("Attachments").SetInputFilesAsync(new FilePayload { Name = "drafts.txt", MimeType = "text/plain", Buffer = "three logo drafts"u8.ToArray() });

        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, width > 900 ? 860 : 844);
            var violations = await Axe.SeriousViolationsAsync(page);
            Assert.True(violations.Count == 0, string.Join("\n", violations));
            await Screenshots.TakeAsync(page, $"task-composer-{width}");
        }
        await page.SetViewportSizeAsync(1280, 860);

        await form.GetByRole(AriaRole.Button, new() { Name = "Send now" }).ClickAsync();
        await page.WaitForURLAsync($"**/tasks/{seed.TaskId}?tab=email");
        var outbox = page.GetByRole(AriaRole.Region, new() { Name = "Emails from this task" });
        await Expect(outbox).ToContainTextAsync("Logo drafts");
        await ReloadUntilAsync(page, () => outbox.Locator(".badge").First, "Sent");
        await Expect(task.Comment("Hello Max, the drafts are attached.")).ToBeVisibleAsync();
        await Expect(task.Comment("Hello Max, the drafts are attached.")).ToContainTextAsync("drafts.txt");
        await Expect(task.Events.Filter(new() { HasText = "sent the email \"Logo drafts\" to Max Mustermann <max@mail.test>" })).ToHaveCountAsync(1);

        // Max answers from his own mail client; the reply reaches Mia's mailbox and the watcher brings it in.
        var sent = await ReceivedByMaxAsync(mail);
        var reply = new MimeMessage();
        reply.From.Add(new MailboxAddress("Max Mustermann", "max@mail.test"));
        reply.To.Add(new MailboxAddress("Mia from Acme", "mia@mail.test"));
        reply.Subject = "Re: Logo drafts";
        reply.InReplyTo = sent.MessageId;
        reply.References.Add(sent.MessageId!);
        reply.Body = new TextPart("plain") { Text = "The second one, please.\n\nOn Wed, Mia wrote:\n> Hello Max, the drafts are attached.\n" };
        await mail.DeliverAsync(reply, "mia");

        await task.WaitForCommentAsync("The second one, please.", TimeSpan.FromSeconds(60));
        await Expect(task.Thread("Hello Max, the drafts are attached.").GetByRole(AriaRole.List, new() { Name = "Replies" })).ToContainTextAsync("The second one, please.");
        await Screenshots.TakeAsync(page, "task-composer-reply");
        await page.SetViewportSizeAsync(390, 844);
        await Screenshots.TakeAsync(page, "task-composer-reply-390");
    });

    /// <summary>Mia links her mailbox through the API, as the Email accounts page would.</summary>
    private async Task LinkMiasMailboxAsync(MailServer mail)
    {
        using var api = new HttpClient { BaseAddress = Server.BaseAddress };
        using var token = await api.PostAsJsonAsync("/api/auth/token", new { email = SeededWorkspace.MemberEmail, password = SeededWorkspace.Password });
        token.EnsureSuccessStatusCode();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<TokenBody>())!.Token);
        using var linked = await api.PostAsJsonAsync("/api/accounts", new
        {
            provider = "Custom", email = mail.Address("mia"), password = MiaMailbox, sendAsName = "Mia from Acme",
            imapHost = "127.0.0.1", imapPort = mail.ImapPort, imapSecurity = "None",
            smtpHost = "127.0.0.1", smtpPort = mail.SubmissionPort, smtpSecurity = "None",
        });
        Assert.True(linked.IsSuccessStatusCode, await linked.Content.ReadAsStringAsync());
    }

    private static async Task<MimeMessage> ReceivedByMaxAsync(MailServer mail)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var imap = new ImapClient();
            await imap.ConnectAsync("127.0.0.1", mail.ImapPort, MailKit.Security.SecureSocketOptions.None);
            await imap.AuthenticateAsync(mail.Address("max"), MaxMailbox);
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
            if (imap.Inbox.Count > 0)
            {
                return await imap.Inbox.GetMessageAsync(imap.Inbox.Count - 1);
            }
            Assert.True(DateTime.UtcNow < deadline, "Max's INBOX stayed empty.");
            await Task.Delay(300);
        }
    }

    /// <summary>The worker sends in the background: reload until the locator reads <paramref name="text"/>.</summary>
    private static async Task ReloadUntilAsync(IPage page, Func<ILocator> locator, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await locator().TextContentAsync())?.Trim() != text)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Still \"{await locator().TextContentAsync()}\" after 30 s.");
            await Task.Delay(500);
            await page.ReloadAsync();
        }
    }

    private sealed record TokenBody(string Token);
}
