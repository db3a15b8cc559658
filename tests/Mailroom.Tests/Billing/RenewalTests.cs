using Mailroom.Billing;
using Mailroom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Tests.Billing;

/// <summary>The end of a cycle: empty slots go, kept ones are charged; a declined renewal keeps them through a grace period.</summary>
public class RenewalTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Renewal_RemovesExactlyTheEmptySlots_AndChargesTheKeptOnes(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database);
        await scene.StartCycleAsync(BillingCycle.Yearly, "2025-01-01");
        scene.Clock.Now = new DateTimeOffset(2024, 2, 29, 15, 0, 0, TimeSpan.Zero);
        var owner = await scene.OwnerAsync();
        await scene.BuyAsync(owner, 3, "purchase-1"); // 3 × 2400 × 307/366 = 6039.34 cents
        var sales = await scene.MailAccountAsync("sales@acme.test");
        var support = await scene.MailAccountAsync("support@acme.test");
        Assert.True(await scene.BillingAsync(b => b.LinkIntoFreeSlotAsync(sales)));
        Assert.True(await scene.BillingAsync(b => b.LinkIntoFreeSlotAsync(support)));

        // Not due yet the day before.
        scene.Clock.Now = new DateTimeOffset(2024, 12, 31, 23, 0, 0, TimeSpan.Zero);
        Assert.Null(await scene.RenewAsync());
        Assert.Equal(3, (await scene.SlotsAsync()).Count);

        scene.Clock.Now = new DateTimeOffset(2025, 1, 1, 0, 30, 0, TimeSpan.Zero);
        var renewal = await scene.RenewAsync();

        Assert.NotNull(renewal);
        // The plan's own yearly price (Unlimited, $84.00) and the two kept slots.
        Assert.Equal((LedgerKind.Renewal, LedgerOutcome.Charged, 2, 13200L), (renewal.Kind, renewal.Outcome, renewal.Quantity, renewal.AmountCents));
        Assert.Equal("Unlimited $84.00 + 2 × $24.00 × 365/365 days = $132.00", renewal.Arithmetic);
        // (As sets: two ids made in the same millisecond have no order.)
        Assert.Equal(new[] { sales, support }.Order(), (await scene.SlotsAsync()).Select(s => s.MailAccountId!.Value).Order());
        Assert.Equal(new[] { 6039L, 13200L }, scene.Stripe!.Charges.Select(c => c.Amount));
        var removal = Assert.Single(await scene.LedgerAsync(), l => l.Kind == LedgerKind.SlotsRemoved);
        Assert.Equal((1, 0L), (removal.Quantity, removal.AmountCents));
        Assert.Equal(new DateOnly(2026, 1, 1), (await scene.AccountAsync()).RenewsOn);

        // The worker's next turn, the same day: nothing more is removed or charged.
        Assert.Null(await scene.RenewAsync());
        Assert.Equal(2, scene.Stripe.Charges.Count);
        Assert.Equal(2, (await scene.SlotsAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PurchaseBelowStripesSmallestCharge_GivesTheSlotNow_AndIsChargedWithTheRenewal(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database);
        await scene.StartCycleAsync(BillingCycle.Monthly, "2024-03-01");
        scene.Clock.Now = new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero);
        var owner = await scene.OwnerAsync();

        var bought = await scene.BuyAsync(owner, 1, "purchase-1"); // 1 × 200 × 1/29 = 6.90 cents
        Assert.Equal((LedgerOutcome.Deferred, 7L, 1), (bought.Line.Outcome, bought.Line.AmountCents, bought.Slots));
        Assert.Equal("1 × $2.00 × 1/29 days = $0.07, below the smallest charge ($0.50): added to the next renewal", bought.Line.Arithmetic);
        Assert.Empty(scene.Stripe!.Charges);
        var sales = await scene.MailAccountAsync("sales@acme.test");
        Assert.True(await scene.BillingAsync(b => b.LinkIntoFreeSlotAsync(sales)));

        scene.Clock.Now = new DateTimeOffset(2024, 3, 1, 1, 0, 0, TimeSpan.Zero);
        var renewal = await scene.RenewAsync();

        Assert.Equal((LedgerOutcome.Charged, 1207L), (renewal!.Outcome, renewal.AmountCents));
        Assert.Equal("Unlimited $10.00 + 1 × $2.00 × 31/31 days + $0.07 carried from purchases below the smallest charge = $12.07", renewal.Arithmetic);
        Assert.Equal(1207L, Assert.Single(scene.Stripe.Charges).Amount);
        Assert.Equal(renewal.Id, (await scene.LedgerAsync()).Single(l => l.Id == bought.Line.Id).SettledByLineId);
        Assert.Equal(new DateOnly(2024, 4, 1), (await scene.AccountAsync()).RenewsOn);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RenewalDeclined_KeepsTheSlotsThroughTheGracePeriod_TellsTheOwner_ThenRemovesThem(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database);
        await scene.StartCycleAsync(BillingCycle.Monthly, "2025-03-01");
        scene.Clock.Now = new DateTimeOffset(2025, 2, 15, 9, 0, 0, TimeSpan.Zero);
        var owner = await scene.OwnerAsync();
        await scene.BuyAsync(owner, 2, "purchase-1"); // 2 × 200 × 14/28 = $2.00
        var sales = await scene.MailAccountAsync("sales@acme.test");
        Assert.True(await scene.BillingAsync(b => b.LinkIntoFreeSlotAsync(sales)));
        scene.Stripe!.Declining["pm_empty"] = "insufficient_funds";
        await scene.SaveCardAsync("pm_empty");

        scene.Clock.Now = new DateTimeOffset(2025, 3, 1, 6, 0, 0, TimeSpan.Zero);
        var declined = await scene.RenewAsync();

        Assert.Equal((LedgerOutcome.Declined, 1, 1200L), (declined!.Outcome, declined.Quantity, declined.AmountCents));
        var account = await scene.AccountAsync();
        Assert.Equal(scene.Clock.Now.AddDays(7), account.GraceEndsAt);
        Assert.Single(await scene.SlotsAsync()); // the empty one is gone, the linked one kept
        var notice = Assert.Single(await scene.DbAsync(db => db.Notifications.AsNoTracking().Where(n => n.UserId == owner.Id).ToListAsync()));
        Assert.Equal("The renewal of Unlimited and 1 extra email account slot from 1 Mar 2025 to 1 Apr 2025 ($12.00) was declined: Your card has insufficient funds. The plan and the slots are kept until 8 Mar 2025; put another card on file on the Billing page before then, or the slots are removed and the workspace goes back to Free Forever.", notice.Text);

        // Retried once a day, under a new key each time, still declined.
        scene.Clock.Now = scene.Clock.Now.AddHours(3);
        Assert.Null(await scene.RenewAsync());
        scene.Clock.Now = new DateTimeOffset(2025, 3, 2, 7, 0, 0, TimeSpan.Zero);
        Assert.Equal(LedgerOutcome.Declined, (await scene.RenewAsync())!.Outcome);
        Assert.Equal(["renewal:2025-03-01:1", "renewal:2025-03-01:2"], (await scene.LedgerAsync()).Where(l => l.Kind == LedgerKind.Renewal).Select(l => l.IdempotencyKey));
        Assert.Single(await scene.SlotsAsync());

        // The grace period over, unpaid: the slot goes, the workspace is back on the free plan, the next cycle starts without them.
        scene.Clock.Now = new DateTimeOffset(2025, 3, 8, 7, 0, 0, TimeSpan.Zero);
        Assert.Null(await scene.RenewAsync());
        Assert.Empty(await scene.SlotsAsync());
        account = await scene.AccountAsync();
        Assert.Equal((new DateOnly(2025, 4, 1), (DateTimeOffset?)null), (account.RenewsOn, account.GraceEndsAt));
        Assert.Single(scene.Stripe.Charges); // only the purchase was ever charged
        Assert.Equal("free", await scene.DbAsync(db => db.Workspaces.Select(w => w.PlanId).SingleAsync()));
        Assert.Equal(3, await scene.DbAsync(db => db.Notifications.CountAsync(n => n.UserId == owner.Id)));
    }
}
