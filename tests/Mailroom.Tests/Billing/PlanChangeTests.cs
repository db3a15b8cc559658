using Mailroom.Billing;
using Mailroom.Hosting;
using Mailroom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Tests.Billing;

/// <summary>The owner changes the plan through billing: an upgrade charged prorated at once, a downgrade at the renewal.</summary>
public class PlanChangeTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private static Task<PlanChangeResult> ChangeAsync(BillingScene scene, string plan, string key) =>
        scene.WithAsync(async s =>
        {
            var owner = await scene.OwnerAsync();
            return await s.GetRequiredService<PlanChanges>().ChangeAsync(owner, plan, key);
        });

    private static Task<string> PlanAsync(BillingScene scene) => scene.DbAsync(db => db.Workspaces.Select(w => w.PlanId).SingleAsync());

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Upgrade_IsChargedTheProratedDifferenceAtOnce_AndARetryIsChargedOnce(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "unlimited");
        await scene.StartCycleAsync(BillingCycle.Monthly, "2025-03-01");
        scene.Clock.Now = new DateTimeOffset(2025, 2, 15, 10, 0, 0, TimeSpan.Zero);

        var quote = await scene.WithAsync(s => s.GetRequiredService<PlanChanges>().QuoteAsync("business"));
        // (Business $19.00 − Unlimited $10.00) × 14 days left of February's 28 = 900 × 14/28 = 450 cents.
        Assert.Equal((true, 450L), (quote.IsUpgrade, quote.AmountCents));

        var changed = await ChangeAsync(scene, "business", "upgrade-1");
        var retried = await ChangeAsync(scene, "business", "upgrade-1");

        Assert.Equal(("business", (string?)null, false), (changed.PlanId, changed.PendingPlanId, changed.Replayed));
        Assert.Equal((LedgerKind.PlanChange, LedgerOutcome.Charged, 450L), (changed.Line!.Kind, changed.Line.Outcome, changed.Line.AmountCents));
        Assert.Equal("($19.00 − $10.00) × 14/28 days = $4.50", changed.Line.Arithmetic);
        Assert.Equal("Plan: Unlimited → Business until 1 Mar 2025", changed.Line.Description);
        var charge = Assert.Single(scene.Stripe!.Charges);
        Assert.Equal((450L, "pm_visa", changed.Line.ProcessorChargeId), (charge.Amount, charge.PaymentMethod, (string?)charge.Id));
        Assert.Equal((changed.Line.Id, true), (retried.Line!.Id, retried.Replayed));
        Assert.Equal("business", await PlanAsync(scene));

        // At the renewal the whole cycle of the new plan is charged: $19.00.
        scene.Clock.Now = new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.Zero);
        var renewal = await scene.RenewAsync();
        Assert.Equal((1900L, "Business $19.00 = $19.00"), (renewal!.AmountCents, renewal.Arithmetic));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Upgrade_OnAYearlyCycleInALeapYear_IsChargedTheHandComputedAmount(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "free");
        await scene.StartCycleAsync(BillingCycle.Yearly, "2025-01-01");
        scene.Clock.Now = new DateTimeOffset(2024, 2, 29, 15, 0, 0, TimeSpan.Zero);

        var changed = await ChangeAsync(scene, "business-plus", "upgrade-1");

        // ($228.00 − $0.00) × 307/366 days = 19124.59 cents, rounded to 19125.
        Assert.Equal((LedgerOutcome.Charged, 19125L), (changed.Line!.Outcome, changed.Line.AmountCents));
        Assert.Equal("($228.00 − $0.00) × 307/366 days = $191.25", changed.Line.Arithmetic);
        Assert.Equal(19125L, Assert.Single(scene.Stripe!.Charges).Amount);
        Assert.Equal("business-plus", await PlanAsync(scene));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task DeclinedUpgrade_LeavesThePlan_AndSaysWhy(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "unlimited");
        scene.Stripe!.Declining["pm_empty"] = "insufficient_funds";
        await scene.StartCycleAsync(BillingCycle.Monthly, "2025-03-01", paymentMethod: "pm_empty");
        scene.Clock.Now = new DateTimeOffset(2025, 2, 15, 10, 0, 0, TimeSpan.Zero);

        var declined = await Assert.ThrowsAsync<AppProblem>(() => ChangeAsync(scene, "enterprise", "upgrade-1"));
        var again = await Assert.ThrowsAsync<AppProblem>(() => ChangeAsync(scene, "enterprise", "upgrade-1"));

        Assert.Equal((402, "billing_card_declined"), (declined.Status, declined.Code));
        Assert.Equal("The card was declined: Your card has insufficient funds. (insufficient_funds). The plan did not change; put another card on file on the Billing page, then try again.", declined.Message);
        Assert.Equal(declined.Message, again.Message);
        Assert.Equal("unlimited", await PlanAsync(scene));
        Assert.Empty(scene.Stripe.Charges);
        var line = Assert.Single(await scene.LedgerAsync());
        Assert.Equal((LedgerKind.PlanChange, LedgerOutcome.Declined), (line.Kind, line.Outcome));

        // Without a card at all: refused before anything is written.
        await scene.DbAsync(db => db.PaymentMethods.ExecuteDeleteAsync());
        var noCard = await Assert.ThrowsAsync<AppProblem>(() => ChangeAsync(scene, "enterprise", "upgrade-2"));
        Assert.Equal("billing_no_card", noCard.Code);
        Assert.Single(await scene.LedgerAsync());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Downgrade_WaitsForTheRenewal_WhichAppliesIt_AndChargesTheSmallerPlan(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "business");
        await scene.StartCycleAsync(BillingCycle.Monthly, "2025-03-01");
        scene.Clock.Now = new DateTimeOffset(2025, 2, 15, 10, 0, 0, TimeSpan.Zero);

        var changed = await ChangeAsync(scene, "unlimited", "downgrade-1");

        Assert.Equal(("business", "unlimited"), (changed.PlanId, changed.PendingPlanId));
        Assert.Equal((LedgerOutcome.Recorded, 0L, "Plan: Business → Unlimited from 1 Mar 2025, at renewal"), (changed.Line!.Outcome, changed.Line.AmountCents, changed.Line.Description));
        Assert.Empty(scene.Stripe!.Charges);
        var view = await scene.WithAsync(async s => await s.GetRequiredService<BillingService>().GetAsync(await scene.OwnerAsync()));
        Assert.Equal(("Business", "Unlimited"), (view.PlanName, view.PendingPlanName));

        scene.Clock.Now = new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.Zero);
        var renewal = await scene.RenewAsync();

        Assert.Equal("unlimited", await PlanAsync(scene));
        Assert.Equal((LedgerOutcome.Charged, 1000L, "Unlimited $10.00 = $10.00"), (renewal!.Outcome, renewal.AmountCents, renewal.Arithmetic));
        Assert.Equal(1000L, Assert.Single(scene.Stripe.Charges).Amount);
        Assert.Null((await scene.AccountAsync()).PendingPlanId);
        Assert.Contains(await scene.LedgerAsync(), l => l.Kind == LedgerKind.PlanChange && l.Description == "Plan: Business → Unlimited, at renewal");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ChoosingTheCurrentPlanAgain_CancelsTheWaitingDowngrade(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "business");
        await scene.StartCycleAsync(BillingCycle.Monthly, "2025-03-01");
        scene.Clock.Now = new DateTimeOffset(2025, 2, 15, 10, 0, 0, TimeSpan.Zero);
        await ChangeAsync(scene, "free", "downgrade-1");

        var kept = await ChangeAsync(scene, "business", "stay-1");

        Assert.Equal(("business", (string?)null), (kept.PlanId, kept.PendingPlanId));
        scene.Clock.Now = new DateTimeOffset(2025, 3, 1, 1, 0, 0, TimeSpan.Zero);
        await scene.RenewAsync();
        Assert.Equal("business", await PlanAsync(scene));
        Assert.Equal(1900L, Assert.Single(scene.Stripe!.Charges).Amount);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Upgrade_PastTheUsesLimit_TellsTheAuthorsOfHeldEmailsTheyMaySendThem(Database database)
    {
        await using var scene = await BillingScene.StartAsync(database, plan: "free");
        await scene.StartCycleAsync(BillingCycle.Monthly, "2025-03-01");
        scene.Clock.Now = new DateTimeOffset(2025, 2, 15, 10, 0, 0, TimeSpan.Zero);
        var (_, list) = await scene.Server.Http.SpaceWithListAsync();
        var task = await scene.Server.Http.CreateTaskAsync(list.Id, "Invoice follow-up");
        var account = await scene.MailAccountAsync("owner@acme.test");
        var owner = await scene.OwnerAsync();
        // The free plan's 100 uses are spent; one scheduled email was held at the limit, another was held by a reply.
        await scene.DbAsync(async db =>
        {
            await db.Workspaces.ExecuteUpdateAsync(w => w.SetProperty(x => x.EmailUses, 100));
            foreach (var (subject, code) in new[] { ("Monday's reminder", "plan_email_uses_reached"), ("Thread follow-up", "held_reply_received") })
            {
                db.OutboundEmails.Add(new Mailroom.Outbound.OutboundEmail
                {
                    TaskId = task.Id, AccountId = account, AuthorUserId = owner.Id, FromAddress = "owner@acme.test", To = ["max@client.example"],
                    Subject = subject, MessageId = $"<{Guid.NewGuid():N}@acme.test>", SendAt = scene.Clock.Now.AddDays(-1),
                    Status = Mailroom.Outbound.OutboundStatus.Held, FailureCode = code, CreatedAt = scene.Clock.Now,
                });
            }
            return await db.SaveChangesAsync();
        });

        await ChangeAsync(scene, "unlimited", "upgrade-1");

        var notices = await scene.DbAsync(db => db.Notifications.AsNoTracking().Where(n => n.UserId == owner.Id).ToListAsync());
        var notice = Assert.Single(notices);
        Assert.Equal("The workspace is on Unlimited now: your held email \"Monday's reminder\" can be sent. Open it in its task and edit its time to send it, or cancel it.", notice.Text);
        Assert.Equal(task.Id, notice.TaskId);
        // Nothing leaves on its own: it stays held until its author sends it.
        Assert.All(await scene.DbAsync(db => db.OutboundEmails.AsNoTracking().ToListAsync()), e => Assert.Equal(Mailroom.Outbound.OutboundStatus.Held, e.Status));
    }
}
