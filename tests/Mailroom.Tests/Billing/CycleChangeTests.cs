using System.Net;
using System.Net.Http.Json;
using Mailroom.Billing;
using Mailroom.Hosting;
using Mailroom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Tests.Billing;

/// <summary>
/// The owner chooses monthly or yearly billing: nothing is charged when it is chosen, the next
/// renewal starts the new cycle and charges a whole cycle of it; both moments are in the ledger.
/// </summary>
public class CycleChangeTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record Line(Guid Id, string Kind, string Outcome, string Description, long AmountCents);
    private sealed record Change(string Cycle, string? PendingCycle, DateOnly RenewsOn, Line? Line, bool Replayed);
    private sealed record Quote(string From, string To, DateOnly StartsOn, long PlanPriceCents, long SlotPriceCents, string Summary);
    private sealed record Billing(string Cycle, string? PendingCycle, DateOnly RenewsOn, List<Line> Ledger);
    private sealed record Problem(string Code, string Detail);

    private static Task<CycleChangeResult> ChangeAsync(BillingScene scene, string cycle, string key) =>
        scene.WithAsync(async s => await s.GetRequiredService<CycleChanges>().ChangeAsync(await scene.OwnerAsync(), cycle, key));

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task MonthlyToYearly_ChargesNothingNow_AndTheRenewalChargesAWholeYearOfThePlanAndTheKeptSlots(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "business");
        await scene.StartCycleAsync(BillingCycle.Monthly, "2025-03-01");
        scene.Clock.Now = new DateTimeOffset(2025, 2, 10, 9, 0, 0, TimeSpan.Zero);
        var owner = await scene.OwnerAsync();
        await scene.BuyAsync(owner, 2, "slots-1");
        var linked = await scene.MailAccountAsync("owner@acme.test");
        await scene.DbAsync(async db =>
        {
            var slot = await db.AccountSlots.OrderBy(s => s.Id).FirstAsync();
            slot.MailAccountId = linked;
            return await db.SaveChangesAsync();
        });
        var chargesBefore = scene.Stripe!.Charges.Count;

        var changed = await ChangeAsync(scene, "yearly", "cycle-1");
        var retried = await ChangeAsync(scene, "Yearly", "cycle-1");

        Assert.Equal((BillingCycle.Monthly, (BillingCycle?)BillingCycle.Yearly, new DateOnly(2025, 3, 1), false), (changed.Cycle, changed.PendingCycle, changed.RenewsOn, changed.Replayed));
        Assert.Equal((LedgerKind.CycleChange, LedgerOutcome.Recorded, 0L), (changed.Line!.Kind, changed.Line.Outcome, changed.Line.AmountCents));
        Assert.Equal("Billing cycle: monthly → yearly from the renewal on 1 Mar 2025", changed.Line.Description);
        Assert.Equal((changed.Line.Id, true), (retried.Line!.Id, retried.Replayed));
        Assert.Equal(chargesBefore, scene.Stripe.Charges.Count);
        Assert.Single(await scene.LedgerAsync(), l => l.Kind == LedgerKind.CycleChange);

        // The renewal: the empty slot goes, Business for a year ($144.00) and the linked slot for a year ($24.00).
        scene.Clock.Now = new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.Zero);
        var renewal = await scene.RenewAsync();

        Assert.Equal((LedgerOutcome.Charged, 16800L), (renewal!.Outcome, renewal.AmountCents));
        Assert.Equal("Business $144.00 + 1 × $24.00 × 365/365 days = $168.00", renewal.Arithmetic);
        Assert.Equal("Renewal: Business and 1 extra email account slot from 1 Mar 2025 to 1 Mar 2026", renewal.Description);
        Assert.Equal(16800L, scene.Stripe.Charges[^1].Amount);
        var account = await scene.AccountAsync();
        Assert.Equal((BillingCycle.Yearly, (BillingCycle?)null, new DateOnly(2026, 3, 1)), (account.Cycle, account.PendingCycle, account.RenewsOn));
        Assert.Contains(await scene.LedgerAsync(), l => l.Kind == LedgerKind.CycleChange && l.Description == "Billing cycle: monthly → yearly, at renewal");

        // A slot bought now is prorated over the year: 1 × $24.00 × 334/365 days (1 Apr 2025 → 1 Mar 2026).
        scene.Clock.Now = new DateTimeOffset(2025, 4, 1, 12, 0, 0, TimeSpan.Zero);
        var bought = await scene.BuyAsync(owner, 1, "slots-2");
        Assert.Equal(("1 × $24.00 × 334/365 days = $21.96", 2196L), (bought.Line.Arithmetic, bought.Line.AmountCents));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ChoosingTheCurrentCycleAgain_CancelsTheChange_AndAKeyUsedForTheOtherCycleIsRefused(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "unlimited");
        await scene.StartCycleAsync(BillingCycle.Yearly, "2025-06-15");
        scene.Clock.Now = new DateTimeOffset(2025, 1, 20, 9, 0, 0, TimeSpan.Zero);

        var toMonthly = await ChangeAsync(scene, "monthly", "cycle-1");
        Assert.Equal(BillingCycle.Monthly, toMonthly.PendingCycle);
        var reused = await Assert.ThrowsAsync<AppProblem>(() => ChangeAsync(scene, "yearly", "cycle-1"));
        Assert.Equal((409, "billing_idempotency_key_reused"), (reused.Status, reused.Code));

        var kept = await ChangeAsync(scene, "yearly", "cycle-2");
        Assert.Equal((BillingCycle.Yearly, (BillingCycle?)null), (kept.Cycle, kept.PendingCycle));
        Assert.Equal("Billing cycle: stays yearly; the change to monthly billing on 15 Jun 2025 is cancelled", kept.Line!.Description);
        // Nothing waiting, nothing to record.
        var again = await ChangeAsync(scene, "yearly", "cycle-3");
        Assert.Null(again.Line);

        scene.Clock.Now = new DateTimeOffset(2025, 6, 15, 1, 0, 0, TimeSpan.Zero);
        var renewal = await scene.RenewAsync();
        Assert.Equal(("Unlimited $84.00 = $84.00", 8400L), (renewal!.Arithmetic, renewal.AmountCents));
        Assert.Equal((BillingCycle.Yearly, new DateOnly(2026, 6, 15)), ((await scene.AccountAsync()).Cycle, (await scene.AccountAsync()).RenewsOn));
        Assert.DoesNotContain(await scene.LedgerAsync(), l => l.Description.EndsWith(", at renewal"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task YearlyToMonthly_OnTheThirtyFirst_RenewsMonthlyBackOnTheAnchorDay(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "business-plus");
        await scene.StartCycleAsync(BillingCycle.Yearly, "2025-01-31");
        scene.Clock.Now = new DateTimeOffset(2024, 11, 2, 9, 0, 0, TimeSpan.Zero);
        await ChangeAsync(scene, "monthly", "cycle-1");

        scene.Clock.Now = new DateTimeOffset(2025, 1, 31, 1, 0, 0, TimeSpan.Zero);
        var first = await scene.RenewAsync();
        Assert.Equal(("Business Plus $29.00 = $29.00", "Renewal: Business Plus from 31 Jan 2025 to 28 Feb 2025"), (first!.Arithmetic, first.Description));
        scene.Clock.Now = new DateTimeOffset(2025, 2, 28, 1, 0, 0, TimeSpan.Zero);
        var second = await scene.RenewAsync();
        Assert.Equal("Renewal: Business Plus from 28 Feb 2025 to 31 Mar 2025", second!.Description);
        Assert.Equal([2900L, 2900L], scene.Stripe!.Charges.Select(c => c.Amount));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ThroughTheApi_TheOwnerQuotesAndChooses_OthersAndBadInputAreRefusedWithTheirCodes(Database database)
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var server = await MailroomServer.StartAsync(database, stripe.Settings());
        await server.SetupAsync();
        await server.UsePlanAsync("business");
        var (_, admin) = await server.Http.AddMemberAsync("Ada Admin", "ada@acme.test", "Admin");
        var (_, member) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _a = admin;
        using var _m = member;

        var quote = await server.Http.GetAsync<Quote>("/api/billing/cycle/quote?cycle=yearly");
        Assert.Equal(("Monthly", "Yearly", 14400L, 2400L), (quote.From, quote.To, quote.PlanPriceCents, quote.SlotPriceCents));
        // 12 × $19.00 − $144.00 = $84.00 saved.
        Assert.Contains("Business is $144.00 a year (saving $84.00 a year on the plan)", quote.Summary);

        var changed = await ReadAsync<Change>(await CycleAsync(server.Http, "yearly", "k-1"));
        Assert.Equal(("Monthly", "Yearly", "CycleChange"), (changed.Cycle, changed.PendingCycle, changed.Line!.Kind));
        var billing = await server.Http.GetAsync<Billing>("/api/billing");
        Assert.Equal(("Monthly", "Yearly"), (billing.Cycle, billing.PendingCycle));
        Assert.Equal(changed.Line.Id, billing.Ledger[0].Id);

        Assert.Equal("owner_only", (await ProblemAsync(await CycleAsync(admin, "monthly", "k-2"), HttpStatusCode.Forbidden)).Code);
        Assert.Equal("owner_only", (await ProblemAsync(await CycleAsync(member, "monthly", "k-3"), HttpStatusCode.Forbidden)).Code);
        Assert.Equal("billing_unknown_cycle", (await ProblemAsync(await CycleAsync(server.Http, "weekly", "k-4"), HttpStatusCode.BadRequest)).Code);
        foreach (var bad in new[] { "7", "1", "Monthly, Yearly", "", new string('y', 5000) })
        {
            var problem = await ProblemAsync(await CycleAsync(server.Http, bad, "k-5"), HttpStatusCode.BadRequest);
            Assert.Equal("billing_unknown_cycle", problem.Code);
            Assert.True(problem.Detail.Length < 200, problem.Detail);
        }
        Assert.Equal("billing_unknown_cycle", (await ProblemAsync(await server.Http.GetAsync("/api/billing/cycle/quote?cycle=daily"), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("billing_idempotency_key_missing", (await ProblemAsync(await CycleAsync(server.Http, "monthly", null), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("Yearly", (await server.Http.GetAsync<Billing>("/api/billing")).PendingCycle);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task WithoutAPaymentProcessor_TheConfigurationSetsTheCycle(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        await server.UsePlanAsync("business");

        var refused = await ProblemAsync(await CycleAsync(server.Http, "yearly", "k-1"), HttpStatusCode.Conflict);

        Assert.Equal("billing_cycle_set_by_configuration", refused.Code);
        Assert.Contains("Mailroom:Billing:DefaultCycle", refused.Detail);
        Assert.Null((await server.Http.GetAsync<Billing>("/api/billing")).PendingCycle);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task DuringTheGracePeriod_TheCycleWaitsForTheUnpaidRenewal(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "unlimited");
        scene.Stripe!.Declining["pm_empty"] = "insufficient_funds";
        await scene.StartCycleAsync(BillingCycle.Monthly, "2025-03-01", paymentMethod: "pm_empty");
        scene.Clock.Now = new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.Zero);
        Assert.Equal(LedgerOutcome.Declined, (await scene.RenewAsync())!.Outcome);

        var refused = await Assert.ThrowsAsync<AppProblem>(() => ChangeAsync(scene, "yearly", "cycle-1"));

        Assert.Equal((409, "billing_cycle_during_grace"), (refused.Status, refused.Code));
        Assert.Null((await scene.AccountAsync()).PendingCycle);
    }

    private static Task<HttpResponseMessage> CycleAsync(HttpClient http, string cycle, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/cycle") { Content = JsonContent.Create(new { cycle }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return http.SendAsync(request);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        using (response)
        {
            await Api.EnsureAsync(response);
            return (await response.Content.ReadFromJsonAsync<T>())!;
        }
    }

    private static async Task<Problem> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<Problem>())!;
        }
    }
}
