using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mailroom.Browser.Tests.Accessibility;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests.Plans;

/// <summary>
/// Where members meet the free plan's email gates, in Chromium: Send later locked in the composer
/// (naming the plan that brings it), the footer's checkbox locked on the Email app page, and the
/// Integrations page counting emails sent and linked accounts against the plan.
/// </summary>
public sealed class EmailPlanPagesTests : BrowserTest
{
    private const string MiaMailbox = "mia-mailbox-secret";

    protected override IEnumerable<string> ServerArguments => ["--Mailroom:Accounts:AllowPrivateHosts=true"];

    [Fact]
    public Task OnFree_SendLaterAndTheFooterSayWhichPlanUnlocksThem_AndTheIntegrationsPageCountsUses() => Browser.RunAsync(async _ =>
    {
        await using var mail = await MailServer.StartAsync([("mia", MiaMailbox)]);
        var seed = await SeededWorkspace.CreateAsync(Server);
        await LinkMiasMailboxAsync(mail);

        var member = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.MemberEmail, Axe.InstallAsync);
        await member.GotoAsync($"/tasks/{seed.TaskId}?tab=email");
        var form = member.GetByRole(AriaRole.Form, new() { Name = "New email" });
        await form.GetByText("Send later…").ClickAsync();
        await Expect(form.GetByRole(AriaRole.Note)).ToContainTextAsync("Free Forever does not include scheduling emails: it comes with Unlimited and above.");
        await Expect(form.Locator("input[name=sendAt]")).ToHaveCountAsync(0);
        await Expect(form.GetByRole(AriaRole.Button, new() { Name = "Schedule" })).ToHaveCountAsync(0);
        await ShootAsync(member, "plan-composer-send-later-locked");

        var owner = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.OwnerEmail, Axe.InstallAsync);
        await owner.GotoAsync("/admin/apps/email");
        var footer = owner.GetByRole(AriaRole.Form, new() { Name = "Footer of emails sent from tasks" });
        await Expect(footer.GetByRole(AriaRole.Checkbox)).ToBeDisabledAsync();
        await Expect(footer.GetByRole(AriaRole.Note)).ToContainTextAsync("it comes with Business and above");
        await ShootAsync(owner, "plan-email-app-footer-locked");

        await owner.GotoAsync("/admin/integrations/email");
        var usage = owner.GetByRole(AriaRole.Region, new() { Name = "Email from tasks" });
        await Expect(usage.GetByTestId("email-uses")).ToHaveTextAsync("Emails sent from tasks: 0 of 100");
        await Expect(usage.GetByTestId("email-accounts")).ToHaveTextAsync("Linked email accounts: 1 of 1");
        await Expect(usage.GetByTestId("email-accounts-limit")).ToContainTextAsync("On Unlimited and above owners and admins can buy extra slots");
        await ShootAsync(owner, "plan-integrations-usage");
    });

    private static async Task ShootAsync(IPage page, string name)
    {
        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, width > 900 ? 860 : 844);
            var violations = await Axe.SeriousViolationsAsync(page);
            Assert.True(violations.Count == 0, string.Join("\n", violations));
            await Screenshots.TakeAsync(page, $"{name}-{width}");
        }
        await page.SetViewportSizeAsync(1280, 860);
    }

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

    private sealed record TokenBody(string Token);
}
