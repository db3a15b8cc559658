using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Mailroom.Billing;
using Mailroom.Browser.Tests.Accessibility;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>
/// The Billing page with Stripe (the stand-in, its hosted page included): a locked feature says
/// which plan unlocks it; the owner puts a card on file on the processor's page, upgrades with the
/// prorated price shown first, buys a slot, and the ledger shows the prorated line and its amount;
/// then chooses yearly billing, which starts at the renewal.
/// </summary>
public sealed class BillingTests : BrowserTest, IAsyncLifetime
{
    private StripeStandIn? _stripe;
    private const string Password = "a-long-enough-password";

    protected override IEnumerable<string> ServerArguments
    {
        get
        {
            // Started before the server, which is pointed at it.
            _stripe ??= StripeStandIn.StartAsync().GetAwaiter().GetResult();
            return _stripe.Settings().Select(s => $"--{s.Key}={s.Value}");
        }
    }

    [Fact]
    public Task Owner_AddsACardOnTheHostedPage_Upgrades_BuysASlot_AndTheLedgerShowsTheProratedLine() => Browser.RunAsync(async _ =>
    {
        await SeedAsync();
        var page = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, "olivia@example.com");

        // The admin navigation leads to Billing; on the free plan slots are locked, and the page says which plan unlocks them.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Billing", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Billing", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("slots-locked")).ToContainTextAsync("it comes with Unlimited and above");
        await Expect(page.GetByTestId("no-card")).ToBeVisibleAsync();
        await Screens.TakeAsync(page, "billing-owner-free");

        // Add a card: Stripe's page (the stand-in's) takes it, and sends the browser back.
        await page.GetByRole(AriaRole.Link, new() { Name = "Add a card" }).ClickAsync();

        await page.WaitForURLAsync($"{_stripe!.BaseUrl}/pay/**");
        await Screens.TakeAsync(page, "billing-hosted-page");
        await page.GetByLabel(new Regex("Visa •••• 4242")).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save card" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/billing?saved=card");
        await Expect(page.GetByTestId("card-on-file")).ToContainTextAsync("Visa •••• 4242");
        Assert.Single(_stripe.PaymentMethods);

        // Upgrade to Unlimited: the prorated price is shown before confirming.
        var renewsOn = DateOnly.ParseExact((await page.GetByTestId("renews-on").TextContentAsync())!.Trim(), "d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var upgrade = Proration.For(1, 1000, BillingCycle.Monthly, renewsOn, today);
        await page.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("Unlimited —") }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "See the price" }).ClickAsync();
        await Expect(page.GetByTestId("plan-quote")).ToContainTextAsync($"{Proration.Money(upgrade.AmountCents)} today");
        await Screens.TakeAsync(page, "billing-owner-quote");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Upgrade and pay {Proration.Money(upgrade.AmountCents)}" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/billing?saved=plan");
        await Expect(page.GetByTestId("billing-plan")).ToContainTextAsync("Unlimited");

        // Buy one slot: the price for today is shown, then the ledger has the line with its arithmetic and amount.
        var slot = Proration.For(1, 200, BillingCycle.Monthly, renewsOn, today);
        await Expect(page.GetByTestId("billing-slots")).ToContainTextAsync($"one bought today costs {Proration.Money(slot.AmountCents)}");
        await page.GetByLabel("Slots to buy").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Buy slots" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/billing?saved=slots");
        await Expect(page.GetByTestId("slot-count")).ToContainTextAsync("1 bought");
        var line = page.GetByTestId("ledger-line").Filter(new() { HasText = "1 extra email account slot until" });
        await Expect(line).ToContainTextAsync(slot.Arithmetic);
        await Expect(line).ToContainTextAsync($"{Proration.Money(slot.AmountCents)} charged");
        var charge = _stripe.Charges.Last();
        Assert.Equal(slot.AmountCents, charge.Amount);
        await Expect(line).ToContainTextAsync(charge.Id);

        // Yearly billing: what it will cost is said first; nothing is charged now, the renewal starts it.
        var chargesBefore = _stripe.Charges.Count;
        var renewal = renewsOn.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.GetByTestId("cycle-quote")).ToContainTextAsync($"From the renewal on {renewal} the workspace pays yearly: Unlimited is $84.00 a year (saving $36.00 a year on the plan)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to yearly billing" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/billing?saved=cycle");
        await Expect(page.GetByTestId("pending-cycle")).ToContainTextAsync($"Yearly billing starts at the renewal on {renewal}");
        await Expect(page.GetByTestId("billing-cycle")).ToHaveTextAsync("Monthly");
        await Expect(page.GetByTestId("ledger-line").First).ToContainTextAsync($"Billing cycle: monthly → yearly from the renewal on {renewal}");
        Assert.Equal(chargesBefore, _stripe.Charges.Count);
        await Screens.TakeAsync(page, "billing-owner");
        await page.SetViewportSizeAsync(390, 844);
        await Screens.TakeAsync(page, "billing-owner-390");
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"The Billing page is {widths[0]} px wide in a {widths[1]}-px window");

        // An admin sees the same page without the plan picker; a member gets the admins-only notice.
        var admin = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, "ada@example.com");
        await admin.GotoAsync("/admin/billing");
        await Expect(admin.GetByTestId("card-on-file")).ToContainTextAsync("Visa •••• 4242");
        await Expect(admin.GetByText("Only the workspace's owner changes the plan.")).ToBeVisibleAsync();
        await Screens.TakeAsync(admin, "billing-admin");
        await admin.SetViewportSizeAsync(390, 844);
        await Screens.TakeAsync(admin, "billing-admin-390");
        var member = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, "mia@example.com");
        await member.GotoAsync("/admin/billing");
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "You need to be an admin" })).ToBeVisibleAsync();
        await Screens.TakeAsync(member, "billing-member");
        await member.SetViewportSizeAsync(390, 844);
        await Screens.TakeAsync(member, "billing-member-390");
    });

    private async Task SeedAsync()
    {
        using var api = new HttpClient { BaseAddress = Server.BaseAddress };
        using var setup = await api.PostAsJsonAsync("/api/setup", new { workspaceName = "Acme", ownerName = "Olivia Owner", email = "olivia@example.com", password = Password });
        setup.EnsureSuccessStatusCode();
        var token = (await setup.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["token"].ToString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var (name, email, role) in new[] { ("Ada Admin", "ada@example.com", "Admin"), ("Mia Member", "mia@example.com", "Member") })
        {
            using var added = await api.PostAsJsonAsync("/api/members", new { displayName = name, email, password = Password, role });
            added.EnsureSuccessStatusCode();
        }
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_stripe is not null)
        {
            await _stripe.DisposeAsync();
        }
    }

    private static class Screens
    {
        public static Task TakeAsync(IPage page, string name) => Screenshots.TakeAsync(page, name);
    }
}
