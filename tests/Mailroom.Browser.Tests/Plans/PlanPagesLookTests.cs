using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Mailroom.Browser.Tests.Accessibility;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests.Plans;

/// <summary>
/// The plan, permission and billing pages as their users see them, at 1280 and 390 px, with
/// Stripe (the stand-in): on the free plan every locked thing names the plan that unlocks it
/// (slots, custom roles, Send later) and the usage counts what is used; the owner puts a card on
/// file, upgrades, is offered a slot from the composer's From menu and buys one; a member and a
/// guest get the admins-only notice and nothing of the card or the ledger. No page scrolls
/// sideways at 390 px. With MAILROOM_SCREENSHOTS set, every state is kept as a PNG.
/// </summary>
public sealed class PlanPagesLookTests : BrowserTest, IAsyncLifetime
{
    private const string MiaMailbox = "mia-mailbox-secret";
    private StripeStandIn? _stripe;

    protected override IEnumerable<string> ServerArguments
    {
        get
        {
            _stripe ??= StripeStandIn.StartAsync().GetAwaiter().GetResult();
            return _stripe.Settings().Select(s => $"--{s.Key}={s.Value}").Append("--Mailroom:Accounts:AllowPrivateHosts=true");
        }
    }

    [Fact]
    public Task OnFree_LocksNameTheirPlan_TheOwnerPaysAndBuys_MembersAndGuestsSeeNoBilling_AndNothingScrollsSideways() => Browser.RunAsync(async _ =>
    {
        await using var mail = await MailServer.StartAsync([("mia", MiaMailbox)]);
        var seed = await SeededWorkspace.CreateAsync(Server);
        var mia = await ApiAsAsync(SeededWorkspace.MemberEmail);
        var account = await LinkAsync(mia, mail);
        var ownerId = await OwnerIdAsync(await ApiAsAsync(SeededWorkspace.OwnerEmail));

        // Free Forever, as the owner sees it.
        var owner = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.OwnerEmail);
        await owner.GotoAsync("/admin/billing");
        await Expect(owner.GetByTestId("slots-locked")).ToContainTextAsync("it comes with Unlimited and above");
        await Expect(owner.GetByTestId("no-card")).ToBeVisibleAsync();
        await LookAsync(owner, "billing-owner-free");

        await owner.GotoAsync("/admin/security");
        await Expect(owner.Locator("#role-permissions-locked")).ToContainTextAsync("it comes with Business Plus and above");
        await Expect(owner.GetByRole(AriaRole.Checkbox, new() { Name = "Member: Send email (Email app)" })).ToBeDisabledAsync();
        await LookAsync(owner, "security-owner-locked");

        await owner.GotoAsync("/admin/integrations/email");
        var usage = owner.GetByRole(AriaRole.Region, new() { Name = "Email from tasks" });
        await Expect(usage.GetByTestId("email-uses")).ToHaveTextAsync("Emails sent from tasks: 0 of 100");
        await Expect(usage.GetByTestId("email-accounts")).ToHaveTextAsync("Linked email accounts: 1 of 1");
        await Expect(usage.GetByTestId("email-accounts-limit")).ToContainTextAsync("On Unlimited and above");
        await LookAsync(owner, "integrations-owner-free");

        // Mia's composer: her account fills the plan's one, and Send later names the plan that brings it.
        var member = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.MemberEmail);
        await member.GotoAsync($"/tasks/{seed.TaskId}?tab=email");
        var form = member.GetByRole(AriaRole.Form, new() { Name = "New email" });
        await Expect(form.GetByTestId("from-room")).ToContainTextAsync("No free email account");
        await Expect(form.GetByRole(AriaRole.Link, new() { Name = "Buy a slot" })).ToHaveCountAsync(0);
        await form.GetByText("Send later…").ClickAsync();
        await Expect(form.GetByRole(AriaRole.Note)).ToContainTextAsync("it comes with Unlimited and above");
        await LookAsync(member, "composer-member-free");

        // The owner puts a card on file (on the processor's page) and upgrades to Unlimited.
        await owner.GotoAsync("/admin/billing");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Add a card" }).ClickAsync();
        await owner.WaitForURLAsync($"{_stripe!.BaseUrl}/pay/**");
        await owner.GetByLabel(new Regex("Visa •••• 4242")).CheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save card" }).ClickAsync();
        await owner.WaitForURLAsync("**/admin/billing?saved=card");
        await Expect(owner.GetByTestId("card-on-file")).ToContainTextAsync("Visa •••• 4242");
        await owner.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("Unlimited —") }).CheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "See the price" }).ClickAsync();
        await Expect(owner.GetByTestId("plan-quote")).ToContainTextAsync("today");
        await LookAsync(owner, "billing-owner-quote");
        await owner.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Upgrade and pay") }).ClickAsync();
        await owner.WaitForURLAsync("**/admin/billing?saved=plan");

        // Lent Mia's mailbox, the owner meets the full plan in the From menu, with a slot to buy.
        using (var granted = await mia.PostAsJsonAsync($"/api/accounts/{account}/grants", new { userId = ownerId }))
        {
            Assert.True(granted.IsSuccessStatusCode, await granted.Content.ReadAsStringAsync());
        }
        await owner.GotoAsync($"/tasks/{seed.TaskId}?tab=email");
        var ownerForm = owner.GetByRole(AriaRole.Form, new() { Name = "New email" });
        await Expect(ownerForm.GetByTestId("from-room")).ToContainTextAsync("No free email account");
        await Expect(ownerForm.GetByRole(AriaRole.Link, new() { Name = "Buy a slot" })).ToBeVisibleAsync();
        await LookAsync(owner, "composer-owner-buy-a-slot");
        await ownerForm.GetByRole(AriaRole.Link, new() { Name = "Buy a slot" }).ClickAsync();
        await owner.WaitForURLAsync("**/admin/billing#slots-heading");
        await owner.GetByLabel("Slots to buy").FillAsync("1");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Buy slots" }).ClickAsync();
        await owner.WaitForURLAsync("**/admin/billing?saved=slots");
        await Expect(owner.GetByTestId("ledger-line")).ToHaveCountAsync(2);
        await LookAsync(owner, "billing-owner-ledger");

        // A member and a guest: the admins-only notice on each page, and nothing of the card or the ledger.
        var guest = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.GuestEmail);
        foreach (var (who, page) in new[] { ("member", member), ("guest", guest) })
        {
            foreach (var (url, name) in new[] { ("/admin/billing", "billing"), ("/admin/security", "security"), ("/admin/integrations/email", "integrations") })
            {
                await page.GotoAsync(url);
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You need to be an admin", Level = 1 })).ToBeVisibleAsync();
                var text = await page.Locator("main").InnerTextAsync();
                foreach (var secret in new[] { "4242", "Ledger", "Card on file", "charged", "Emails sent from tasks" })
                {
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"The {who} sees \"{secret}\" on {url}:\n{text}");
                }
                await LookAsync(page, $"{name}-{who}");
            }
        }
    });

    /// <summary>The page at 1280 and at 390 px: at 390 it must not scroll sideways (a table scrolls inside its own box).</summary>
    internal static async Task LookAsync(IPage page, string name)
    {
        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, width > 900 ? 860 : 844);
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            Assert.True(widths[0] <= widths[1], $"{name} is {widths[0]} px wide in a {widths[1]}-px window");
            // From the top: a sticky bar scrolled along would be drawn in the middle of a full-page shot.
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await Screenshots.TakeAsync(page, $"look-{name}-{width}");
        }
        await page.SetViewportSizeAsync(1280, 860);
    }

    private async Task<HttpClient> ApiAsAsync(string email)
    {
        var api = new HttpClient { BaseAddress = Server.BaseAddress };
        using var token = await api.PostAsJsonAsync("/api/auth/token", new { email, password = SeededWorkspace.Password });
        token.EnsureSuccessStatusCode();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<TokenBody>())!.Token);
        return api;
    }

    private static async Task<Guid> LinkAsync(HttpClient api, MailServer mail)
    {
        using var linked = await api.PostAsJsonAsync("/api/accounts", new
        {
            provider = "Custom", email = mail.Address("mia"), password = MiaMailbox, sendAsName = "Mia from Acme",
            imapHost = "127.0.0.1", imapPort = mail.ImapPort, imapSecurity = "None",
            smtpHost = "127.0.0.1", smtpPort = mail.SubmissionPort, smtpSecurity = "None",
        });
        Assert.True(linked.IsSuccessStatusCode, await linked.Content.ReadAsStringAsync());
        return (await linked.Content.ReadFromJsonAsync<Created>())!.Id;
    }

    private static async Task<Guid> OwnerIdAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<List<Member>>("/api/members"))!.Single(m => m.Role == "Owner").Id;

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_stripe is not null)
        {
            await _stripe.DisposeAsync();
        }
    }

    private sealed record TokenBody(string Token);
    private sealed record Created(Guid Id);
    private sealed record Member(Guid Id, string Role);
}

/// <summary>
/// The same pages on a server without a payment processor, whose operator keeps it on Business
/// Plus: Billing says no card is needed and who sets the plan; custom roles are unlocked.
/// </summary>
public sealed class PlanPagesLookWithoutProcessorTests : BrowserTest
{
    protected override IEnumerable<string> ServerArguments => ["--Mailroom:Plans:Pinned=business-plus"];

    [Fact]
    public Task WithoutAProcessor_BillingSaysWhoSetsThePlan_AndCustomRolesAreOpen() => Browser.RunAsync(async _ =>
    {
        await SeededWorkspace.CreateAsync(Server);
        var owner = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.OwnerEmail);
        await owner.GotoAsync("/admin/billing");
        await Expect(owner.GetByTestId("billing-plan")).ToContainTextAsync("Business Plus");
        await Expect(owner.GetByTestId("plan-by-configuration")).ToContainTextAsync("no payment processor");
        await Expect(owner.GetByTestId("billing-card")).ToContainTextAsync("No card is needed");
        await PlanPagesLookTests.LookAsync(owner, "billing-owner-no-processor");

        await owner.GotoAsync("/admin/security");
        await Expect(owner.GetByRole(AriaRole.Checkbox, new() { Name = "Member: Send email (Email app)" })).ToBeEnabledAsync();
        await Expect(owner.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeVisibleAsync();
        await Expect(owner.Locator("#role-permissions-locked")).ToHaveCountAsync(0);
        await PlanPagesLookTests.LookAsync(owner, "security-owner-business-plus");
    });
}
