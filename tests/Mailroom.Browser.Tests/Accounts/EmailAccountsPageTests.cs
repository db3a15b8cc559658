using Mailroom.Browser.Tests.Accessibility;
using Mailroom.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Accounts;

/// <summary>
/// Settings → Email accounts in Chromium, without a mail server: the Custom servers appear only
/// for Custom, and a refused test keeps what was typed except the password, with no axe violation.
/// </summary>
public sealed class EmailAccountsPageTests : BrowserTest
{
    [Fact]
    public Task Member_PicksCustom_TestsAPrivateHost_SeesTheRefusal_WithTheFieldsKeptButThePassword() => Browser.RunAsync(async _ =>
    {
        await SeededWorkspace.CreateAsync(Server);
        var page = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.MemberEmail);
        await Axe.InstallAsync(page.Context);

        await page.GetByRole(AriaRole.Link, new() { Name = "Email accounts" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Email accounts", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No email accounts linked yet")).ToBeVisibleAsync();

        // A preset's servers are known: the custom ones are out of the way until Custom is picked.
        await Assertions.Expect(page.GetByLabel("IMAP host")).ToBeHiddenAsync();
        await page.GetByLabel("Provider").SelectOptionAsync(new SelectOptionValue { Label = "Custom (IMAP/SMTP)" });
        await Assertions.Expect(page.GetByLabel("IMAP host")).ToBeVisibleAsync();

        await page.GetByLabel("Email address").FillAsync("mia@mail.example");
        await page.GetByLabel("Send as (optional)").FillAsync("Mia from Acme");
        await page.GetByLabel("Password or app password").FillAsync("typed-secret-41");
        // 127.0.0.1 is refused by the host guard before anything connects (Mailroom:Accounts:AllowPrivateHosts is off).
        await page.GetByLabel("IMAP host").FillAsync("127.0.0.1");
        await page.GetByLabel("SMTP host").FillAsync("127.0.0.1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();

        var alert = page.Locator(".account-link .alert-error");
        await Assertions.Expect(alert).ToContainTextAsync("Could not");
        await Assertions.Expect(page.GetByLabel("Email address")).ToHaveValueAsync("mia@mail.example");
        await Assertions.Expect(page.GetByLabel("Send as (optional)")).ToHaveValueAsync("Mia from Acme");
        await Assertions.Expect(page.GetByLabel("Provider")).ToHaveValueAsync("Custom");
        await Assertions.Expect(page.GetByLabel("Password or app password")).ToHaveValueAsync("");
        Assert.DoesNotContain("typed-secret-41", await page.ContentAsync());

        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, width > 900 ? 860 : 844);
            Assert.Empty(await Axe.SeriousViolationsAsync(page));
            await Screenshots.TakeAsync(page, $"email-accounts-refused-{width}");
        }
    });
}
