using MailKit.Net.Smtp;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

public sealed class InboundRefusalTests : BrowserTest
{
    [Fact]
    public Task MailToAnUnknownAddress_IsRefused_AndTheInboundLogSaysWhy_AlsoOnAPhone() => Browser.RunAsync(async page =>
    {
        var setup = new SetupPage(page);
        await setup.GotoAsync();
        var groups = await setup.SetUpAsync("Acme", "Ada Lovelace", "ada@example.com", "correct-horse-battery");

        // Someone mails an address that does not exist; their server is told at RCPT.
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Grace Hopper", "grace@example.org"));
        message.To.Add(MailboxAddress.Parse("helpdesk@mailroom.localhost"));
        message.Subject = "Where is my ticket?";
        message.Body = new TextPart("plain") { Text = "Did this arrive?" };
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(Server.SmtpPort, message));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);

        // The admin looks the address up in the inbound log.
        await groups.Sidebar.OpenInboundLogAsync();
        var log = new InboundRefusals(page);
        await log.FilterByAddressAsync("helpdesk");
        await Expect(log.AddressFilter).ToHaveValueAsync("helpdesk");
        await log.ShowRefusedOnlyAsync();
        var row = await log.WaitForRowAsync("helpdesk@mailroom.localhost");
        await Expect(row).ToContainTextAsync("grace@example.org");
        await Expect(row).ToContainTextAsync("No integration, list or task has this address");
        await Expect(row).ToContainTextAsync("550 5.1.1");
        await Expect(row).ToContainTextAsync("once");
        await Browser.ScreenshotAsync("30-inbound-refused");

        // On a phone the rows stack: nothing is wider than the screen.
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await Expect(log.Row("helpdesk@mailroom.localhost")).ToBeVisibleAsync();
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"The page scrolls sideways at 390 px: {widths[0]} px wide in a {widths[1]} px window.");
        var rowBox = await log.Row("helpdesk@mailroom.localhost").BoundingBoxAsync();
        Assert.True(rowBox is { } box && box.X >= 0 && box.X + box.Width <= 390, $"The refusal's row is outside the screen: {rowBox?.X}+{rowBox?.Width}.");
        await Browser.ScreenshotAsync("31-inbound-refused-phone");
    });
}
