using System.Net.Http.Json;
using Mailroom.Billing;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Permissions;
using Mailroom.Plans;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Billing;

/// <summary>Buying extra email account slots: charged prorated once, refused clearly, never charged twice.</summary>
public class SlotPurchaseTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Buy_OnTheLeapDay_ChargesTheProratedAmountOnce_EvenWhenRetried(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database);
        await scene.StartCycleAsync(BillingCycle.Yearly, "2025-01-01");
        scene.Clock.Now = new DateTimeOffset(2024, 2, 29, 15, 0, 0, TimeSpan.Zero);
        var owner = await scene.OwnerAsync();

        var bought = await scene.BuyAsync(owner, 2, "purchase-1");
        var retried = await scene.BuyAsync(owner, 2, "purchase-1");

        // 2 × 2400 × 307/366 = 4026.23 cents.
        Assert.Equal((LedgerOutcome.Charged, 4026L, "2 × $24.00 × 307/366 days = $40.26"), (bought.Line.Outcome, bought.Line.AmountCents, bought.Line.Arithmetic));
        Assert.Equal((2, false), (bought.Slots, bought.Replayed));
        Assert.Equal((bought.Line.Id, 2, true), (retried.Line.Id, retried.Slots, retried.Replayed));
        var charge = Assert.Single(scene.Stripe!.Charges);
        Assert.Equal((4026L, "cus_acme", "pm_visa"), (charge.Amount, charge.Customer, charge.PaymentMethod));
        Assert.Equal(charge.Id, bought.Line.ProcessorChargeId);
        Assert.Equal(1, scene.Stripe.Requests);
        Assert.Equal(2, (await scene.SlotsAsync()).Count);
        var line = Assert.Single(await scene.LedgerAsync());
        Assert.Equal(("purchase-1", 2, 2400L, 307, 366), (line.IdempotencyKey, line.Quantity, line.UnitPriceCents, line.DaysLeft, line.DaysInCycle));

        // The same key for another purchase is a mistake, not a second purchase.
        var reused = await Assert.ThrowsAsync<AppProblem>(() => scene.BuyAsync(owner, 3, "purchase-1"));
        Assert.Equal(BillingProblems.IdempotencyKeyReused, reused.Code);
        Assert.Single(scene.Stripe.Charges);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Buy_WhenStripesAnswerIsLost_BuysNothingYet_AndTheRetryFinishesTheSameCharge(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database);
        await scene.StartCycleAsync(BillingCycle.Monthly, "2024-03-01");
        scene.Clock.Now = new DateTimeOffset(2024, 2, 15, 9, 0, 0, TimeSpan.Zero);
        var owner = await scene.OwnerAsync();
        // Stripe charges, then every answer (Stripe.net's own retries included) is lost on the way back.
        scene.Stripe!.DropAnswers = 10;

        var lost = await Assert.ThrowsAsync<AppProblem>(() => scene.BuyAsync(owner, 2, "purchase-1"));
        Assert.Equal((502, BillingProblems.ProcessorUnavailable), (lost.Status, lost.Code));
        Assert.Empty(await scene.SlotsAsync());
        Assert.Equal(LedgerOutcome.Pending, Assert.Single(await scene.LedgerAsync()).Outcome);
        var charge = Assert.Single(scene.Stripe.Charges);

        scene.Stripe.DropAnswers = 0;
        var retried = await scene.BuyAsync(owner, 2, "purchase-1");

        // 2 × 200 × 15/29 = 206.90 cents, charged once.
        Assert.Equal((LedgerOutcome.Charged, 207L, charge.Id, 2), (retried.Line.Outcome, retried.Line.AmountCents, retried.Line.ProcessorChargeId, retried.Slots));
        Assert.Single(scene.Stripe.Charges);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Buy_WithADecliningCard_LeavesNoSlot_SaysWhy_AndARetryAnswersTheSame(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database);
        scene.Stripe!.Declining["pm_empty"] = "insufficient_funds";
        await scene.StartCycleAsync(BillingCycle.Monthly, "2025-03-01", paymentMethod: "pm_empty");
        scene.Clock.Now = new DateTimeOffset(2025, 2, 15, 9, 0, 0, TimeSpan.Zero);
        var owner = await scene.OwnerAsync();

        var declined = await Assert.ThrowsAsync<AppProblem>(() => scene.BuyAsync(owner, 1, "purchase-2"));
        Assert.Equal((402, BillingProblems.CardDeclined), (declined.Status, declined.Code));
        Assert.Equal("The card was declined: Your card has insufficient funds. (insufficient_funds). No slot was added; put another card on file, then buy again.", declined.Message);
        Assert.Equal("insufficient_funds", declined.Details["declineCode"]);
        Assert.Empty(await scene.SlotsAsync());
        var line = Assert.Single(await scene.LedgerAsync());
        Assert.Equal((LedgerOutcome.Declined, "insufficient_funds", null), (line.Outcome, line.DeclineCode, line.ProcessorChargeId));

        var again = await Assert.ThrowsAsync<AppProblem>(() => scene.BuyAsync(owner, 1, "purchase-2"));
        Assert.Equal(declined.Message, again.Message);
        Assert.Equal(1, scene.Stripe.Requests);

        // Another card, a new key: bought, 1 × 200 × 14/28.
        await scene.SaveCardAsync("pm_visa");
        var bought = await scene.BuyAsync(owner, 1, "purchase-3");
        Assert.Equal((LedgerOutcome.Charged, 100L, 1), (bought.Line.Outcome, bought.Line.AmountCents, bought.Slots));
        Assert.Equal(100L, Assert.Single(scene.Stripe.Charges).Amount);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Buy_IsRefused_OnAPlanWithoutSlots_WithoutACard_ForAMember_WithABadQuantityOrNoKey(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "free");
        var owner = await scene.OwnerAsync();
        await scene.StartCycleAsync(BillingCycle.Monthly, "2025-03-01", paymentMethod: null);
        scene.Clock.Now = new DateTimeOffset(2025, 2, 15, 9, 0, 0, TimeSpan.Zero);

        var locked = await Assert.ThrowsAsync<AppProblem>(() => scene.BuyAsync(owner, 1, "k-1"));
        Assert.Equal((403, PlanProblems.ExtraSlotsLocked), (locked.Status, locked.Code));
        Assert.Contains("it comes with Unlimited and above", locked.Message);

        await scene.Server.UsePlanAsync("unlimited");
        var noCard = await Assert.ThrowsAsync<AppProblem>(() => scene.BuyAsync(owner, 1, "k-2"));
        Assert.Equal(BillingProblems.NoCardOnFile, noCard.Code);

        await scene.SaveCardAsync("pm_visa");
        foreach (var quantity in new[] { 0, -3, 101 })
        {
            var bad = await Assert.ThrowsAsync<AppProblem>(() => scene.BuyAsync(owner, quantity, $"k-q{quantity}"));
            Assert.Equal((400, BillingProblems.InvalidQuantity), (bad.Status, bad.Code));
        }
        var noKey = await Assert.ThrowsAsync<AppProblem>(() => scene.BuyAsync(owner, 1, " "));
        Assert.Equal(BillingProblems.IdempotencyKeyMissing, noKey.Code);
        var member = new User { DisplayName = "Mia", Role = WorkspaceRole.Member };
        var forbidden = await Assert.ThrowsAsync<AppProblem>(() => scene.BuyAsync(member, 1, "k-3"));
        Assert.Equal((403, BillingPermissions.OwnerOrAdminOnlyCode), (forbidden.Status, forbidden.Code));

        Assert.Empty(await scene.LedgerAsync());
        Assert.Empty(await scene.SlotsAsync());
        Assert.Equal(0, scene.Stripe!.Requests);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task WithoutAProcessor_SlotsNeedNoCard_AndAreRecordedAtNoCharge(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, stripe: false);
        await scene.StartCycleAsync(BillingCycle.Yearly, "2025-01-01", paymentMethod: null);
        scene.Clock.Now = new DateTimeOffset(2024, 2, 29, 15, 0, 0, TimeSpan.Zero);

        var bought = await scene.BuyAsync(await scene.OwnerAsync(), 1, "k-1");

        Assert.Equal((LedgerOutcome.Recorded, 0L, 1), (bought.Line.Outcome, bought.Line.AmountCents, bought.Slots));
        Assert.Equal("1 × $24.00 × 307/366 days = $20.13, not charged: this server has no payment processor", bought.Line.Arithmetic);
        Assert.Null(bought.Line.ProcessorChargeId);
    }
}
