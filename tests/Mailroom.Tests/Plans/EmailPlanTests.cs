using System.Net;
using System.Net.Http.Json;
using Mailroom.Outbound;
using Mailroom.Tests.Accounts.Watching;
using Mailroom.Tests.Infrastructure;
using Mailroom.Tests.Outbound;
using Microsoft.EntityFrameworkCore;
using static Mailroom.Tests.Outbound.OutboxClient;

namespace Mailroom.Tests.Plans;

/// <summary>
/// What the workspace's plan does to email from tasks, through the real server and a real Dovecot
/// and Postfix: the free plan's 100 uses (the 101st refused before anything is queued, a scheduled
/// email held at the limit), Send later, the number of linked mailboxes (and a bought slot), and
/// the "Sent using Mailroom" footer read back from the recipient's mailbox.
/// </summary>
public class EmailPlanTests(OutboxMailFixture fixture) : IClassFixture<OutboxMailFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record WorkspaceUsage(string PlanId, int EmailUses, int? EmailUsesLimit, int EmailAccounts, int EmailAccountsLimit);
    private sealed record EmailAppSettings(bool WatermarkOff, bool WatermarkShown);

    private const string OwnerPassword = "correct horse battery";

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Uses_OnFree_EmailsWaitingToLeaveHoldAUse_AndThe101stSendIsRefusedWithItsCode_NothingQueued(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database, plan: "free");
        // 98 uses spent before (seeded: sending 98 for real says nothing more), and one email
        // waiting to be retried in an hour: it will count when it leaves, so it holds a use now.
        await SetUsesAsync(scene.Server, 98);
        var retrying = await SeedRetryingAsync(scene);

        var last = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "The 99th", "<p>Still within the plan.</p>"));
        Assert.Equal("Sent", (await scene.Mia.WaitForOutcomeAsync(scene.TaskId, last.Id)).Status);
        Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, last.Id));
        var usage = await scene.Server.Http.GetAsync<WorkspaceUsage>("/api/workspace");
        Assert.Equal((99, (int?)100), (usage.EmailUses, usage.EmailUsesLimit));

        // 99 sent and one on its way: the next is refused, before anything is stored.
        await AssertRefusedAsync(scene, "The 100th while one waits");

        // The waiting one gives up: its use is free again, and the 100th leaves.
        await using (var db = WatchRows.Open(scene.Server))
        {
            await db.OutboundEmails.Where(e => e.Id == retrying).ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, OutboundStatus.Failed));
        }
        var hundredth = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "The 100th", "<p>The last one.</p>"));
        Assert.Equal("Sent", (await scene.Mia.WaitForOutcomeAsync(scene.TaskId, hundredth.Id)).Status);
        Assert.Equal(100, (await scene.Server.Http.GetAsync<WorkspaceUsage>("/api/workspace")).EmailUses);

        var problem = await AssertRefusedAsync(scene, "The 101st");
        Assert.Contains("100 emails sent from tasks", problem.Detail);
        Assert.Contains("Unlimited has no limit", problem.Detail);
        Assert.Contains("owner can change the plan", problem.Detail);

        // The Integrations page says where the workspace stands, and why it cannot send.
        var cookies = await WebSignIn.CookiesAsync(scene.Server, "owner@acme.test", OwnerPassword);
        var page = WebUtility.HtmlDecode(await WebForm.GetAsync(scene.Server, "/admin/integrations/email", cookies));
        Assert.Contains("Emails sent from tasks: 100 of 100", page);
        Assert.Contains("Limit reached: Free Forever includes 100 emails sent from tasks", page);
        Assert.Contains("Linked email accounts: 1 of 1", page);

        // Deleting a task gives no use back: the count is of emails that left, not of rows.
        using (var delete = await scene.Server.Http.DeleteAsync($"/api/tasks/{scene.TaskId}"))
        {
            Assert.True(delete.IsSuccessStatusCode, $"{delete.StatusCode}");
        }
        Assert.Equal(100, (await scene.Server.Http.GetAsync<WorkspaceUsage>("/api/workspace")).EmailUses);

        // On Unlimited the counter goes on, with no limit.
        await scene.Server.UsePlanAsync("unlimited");
        page = WebUtility.HtmlDecode(await WebForm.GetAsync(scene.Server, "/admin/integrations/email", cookies));
        Assert.Contains("Emails sent from tasks: 100 · unlimited", page);
        Assert.DoesNotContain("Limit reached: Free Forever", page);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Uses_AScheduledEmailComingDueAtTheLimit_IsHeld_ItsAuthorTold_NeverLeaves_AndLeavesWhenResentOnALargerPlan(Database database)
    {
        // Scheduled on Unlimited; the workspace then moved to Free, whose 100 uses are spent.
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database, plan: "unlimited");
        var at = DateTimeOffset.Now.AddSeconds(4);
        var email = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "Monday's reminder", "<p>Do not forget.</p>", sendAt: at));
        Assert.Equal("Scheduled", email.Status);
        await scene.Server.UsePlanAsync("free");
        await SetUsesAsync(scene.Server, 100);

        var held = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, email.Id, TimeSpan.FromSeconds(20));
        Assert.Equal(("Held", "plan_email_uses_reached"), (held.Status, held.FailureCode));
        Assert.Contains("Free Forever includes 100 emails sent from tasks", held.FailureReason);
        Assert.Contains("Cancel it, or once the plan allows more emails, edit it to send it.", held.FailureReason);
        var notice = Assert.Single(await scene.Mia.GetAsync<List<Notification>>("/api/notifications"));
        Assert.Contains("\"Monday's reminder\" was held, not sent: Free Forever includes 100", notice.Text);
        Assert.Equal(scene.TaskId, notice.TaskId);
        // Still Mia's alone, counted nowhere, and never sent.
        Assert.DoesNotContain(await scene.Server.Http.EmailsAsync(scene.TaskId), e => e.Id == email.Id);
        Assert.Equal(100, (await scene.Server.Http.GetAsync<WorkspaceUsage>("/api/workspace")).EmailUses);
        await Task.Delay(1500);
        Assert.Empty(await FindAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, email.Id));
        Assert.Equal("Held", (await scene.Mia.EmailsAsync(scene.TaskId)).Single(e => e.Id == email.Id).Status);

        // On Free it can neither be sent now nor scheduled again; the author's page says so under the email.
        using (var now = await scene.Mia.PutAsync($"/api/emails/{email.Id}", Form(scene.Account.Id, "max@mail.test", "Monday's reminder", "<p>Do not forget.</p>")))
        {
            Assert.Equal(HttpStatusCode.Conflict, now.StatusCode);
            Assert.Equal("plan_email_uses_reached", (await Api.ProblemAsync(now)).Code);
        }
        using (var later = await scene.Mia.PutAsync($"/api/emails/{email.Id}", Form(scene.Account.Id, "max@mail.test", "Monday's reminder", "<p>Do not forget.</p>", sendAt: DateTimeOffset.Now.AddHours(1))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, later.StatusCode);
            Assert.Equal("plan_scheduling_locked", (await Api.ProblemAsync(later)).Code);
        }
        var cookies = await WebSignIn.CookiesAsync(scene.Server, "mia@acme.test");
        var tab = WebUtility.HtmlDecode(await WebForm.GetAsync(scene.Server, $"/tasks/{scene.TaskId}?tab=email", cookies));
        Assert.Contains("Held: Free Forever includes 100 emails sent from tasks", tab);

        // Once the plan allows it, Mia sends it now and it leaves, counted.
        await scene.Server.UsePlanAsync("unlimited");
        using (var resent = await scene.Mia.PutAsync($"/api/emails/{email.Id}", Form(scene.Account.Id, "max@mail.test", "Monday's reminder", "<p>Do not forget.</p>")))
        {
            Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        }
        Assert.Equal("Sent", (await scene.Mia.WaitForOutcomeAsync(scene.TaskId, email.Id)).Status);
        Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, email.Id));
        Assert.Equal(101, (await scene.Server.Http.GetAsync<WorkspaceUsage>("/api/workspace")).EmailUses);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Scheduling_ASendAtOnFree_IsRefusedNamingThePlanThatBringsIt_AndTheComposerShowsItLocked(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database, plan: "free");
        using (var refused = await scene.Mia.PostAsync($"/api/tasks/{scene.TaskId}/emails",
            Form(scene.Account.Id, "max@mail.test", "Tomorrow", "<p>Later.</p>", sendAt: DateTimeOffset.Now.AddDays(1))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await Api.ProblemAsync(refused);
            Assert.Equal("plan_scheduling_locked", problem.Code);
            Assert.Equal("Free Forever does not include scheduling emails: it comes with Unlimited and above. The workspace's owner can change the plan.", problem.Detail);
        }
        Assert.Empty(await scene.Mia.EmailsAsync(scene.TaskId));

        var cookies = await WebSignIn.CookiesAsync(scene.Server, "mia@acme.test");
        var page = WebUtility.HtmlDecode(await WebForm.GetAsync(scene.Server, $"/tasks/{scene.TaskId}?tab=email", cookies));
        Assert.Contains("it comes with Unlimited and above", page);
        Assert.DoesNotContain("name=\"sendAt\"", page);
        Assert.DoesNotContain("value=\"later\"", page);

        // On Unlimited the field is there, and scheduling works.
        await scene.Server.UsePlanAsync("unlimited");
        page = WebUtility.HtmlDecode(await WebForm.GetAsync(scene.Server, $"/tasks/{scene.TaskId}?tab=email", cookies));
        Assert.Contains("name=\"sendAt\"", page);
        Assert.DoesNotContain("it comes with Unlimited and above", page);
        var scheduled = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "Tomorrow", "<p>Later.</p>", sendAt: DateTimeOffset.Now.AddDays(1)));
        Assert.Equal("Scheduled", scheduled.Status);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Accounts_ASecondMailboxOnFree_IsRefused_OnUnlimitedTooUntilASlotIsBought_ThenItTakesTheSlot(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database, plan: "free");
        var max = fixture.Custom("max", OutboxMailFixture.MaxPassword);

        var problem = await LinkRefusedAsync(scene.Server.Http, max);
        Assert.Contains("Free Forever includes 1 email account, and it is in use.", problem.Detail);
        Assert.Contains("On Unlimited and above owners and admins can buy extra slots", problem.Detail);

        await scene.Server.UsePlanAsync("unlimited");
        problem = await LinkRefusedAsync(scene.Server.Http, max);
        Assert.Contains("An owner or admin can buy an extra slot on the Integrations page.", problem.Detail);
        Assert.Equal((1, 1), await AccountsAsync(scene.Server));

        // One slot bought (no payment processor: recorded in the ledger, not charged).
        using (var buy = new HttpRequestMessage(HttpMethod.Post, "/api/billing/slots") { Content = JsonContent.Create(new { quantity = 1 }) })
        {
            buy.Headers.Add("Idempotency-Key", "slot-for-max");
            using var bought = await scene.Server.Http.SendAsync(buy);
            await Api.EnsureAsync(bought);
        }
        Assert.Equal((1, 2), await AccountsAsync(scene.Server));
        var linked = await scene.Server.Http.LinkAsync(max);
        Assert.Equal((2, 2), await AccountsAsync(scene.Server));
        await using (var db = WatchRows.Open(scene.Server))
        {
            Assert.Equal(linked.Id, (await db.AccountSlots.SingleAsync()).MailAccountId);
        }

        // The slot is taken: a third mailbox is refused again.
        var other = await LinkRefusedAsync(scene.Mia, fixture.Custom("max", OutboxMailFixture.MaxPassword));
        Assert.Contains("all 2 are in use", other.Detail);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Watermark_InTextAndHtmlOnFree_CannotBeTurnedOffThere_OffOnBusiness_AndBackAfterMovingToFree(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database, plan: "free");

        var first = await ReceivedAsync(scene, "On free", "<p>Hello <b>Max</b>.</p>");
        Assert.EndsWith("Sent using Mailroom", (first.TextBody ?? "").ReplaceLineEndings("\n").TrimEnd());
        Assert.Contains("Hello Max.", first.TextBody);
        Assert.Contains("<p><small>Sent using Mailroom</small></p>", first.HtmlBody);
        Assert.Contains("<b>Max</b>", first.HtmlBody);

        using (var locked = await scene.Server.Http.PutAsJsonAsync("/api/email-app/watermark", new { off = true }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, locked.StatusCode);
            var problem = await Api.ProblemAsync(locked);
            Assert.Equal("plan_watermark_locked", problem.Code);
            Assert.Contains("it comes with Business and above", problem.Detail);
        }
        // A member may not change it on any plan.
        await scene.Server.UsePlanAsync("business");
        using (var member = await scene.Mia.PutAsJsonAsync("/api/email-app/watermark", new { off = true }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);
        }
        var owner = WebUtility.HtmlDecode(await WebForm.GetAsync(scene.Server, "/admin/apps/email", await WebSignIn.CookiesAsync(scene.Server, "owner@acme.test", OwnerPassword)));
        Assert.Contains("name=\"WatermarkOff\"", owner);

        using (var off = await scene.Server.Http.PutAsJsonAsync("/api/email-app/watermark", new { off = true }))
        {
            await Api.EnsureAsync(off);
            Assert.Equal(new EmailAppSettings(true, false), await off.Content.ReadFromJsonAsync<EmailAppSettings>());
        }
        var plain = await ReceivedAsync(scene, "On business", "<p>Hello again.</p>");
        Assert.DoesNotContain("Sent using Mailroom", plain.TextBody ?? "");
        Assert.DoesNotContain("Sent using Mailroom", plain.HtmlBody);

        // Moved to Free: the choice is kept, the footer comes back, the page says why.
        await scene.Server.UsePlanAsync("free");
        Assert.Equal(new EmailAppSettings(true, true), await scene.Server.Http.GetAsync<EmailAppSettings>("/api/email-app"));
        var back = await ReceivedAsync(scene, "Back on free", "<p>Third.</p>");
        Assert.Contains("Sent using Mailroom", back.TextBody ?? "");
        Assert.Contains("<p><small>Sent using Mailroom</small></p>", back.HtmlBody);
        owner = WebUtility.HtmlDecode(await WebForm.GetAsync(scene.Server, "/admin/apps/email", await WebSignIn.CookiesAsync(scene.Server, "owner@acme.test", OwnerPassword)));
        Assert.DoesNotContain("name=\"WatermarkOff\"", owner);
        Assert.Contains("Free Forever does not include removing the \"Sent using Mailroom\" footer: it comes with Business and above.", owner);
        Assert.Contains("it is shown again while the workspace is on this plan", owner);
    }

    private async Task<MimeKit.MimeMessage> ReceivedAsync(OutboxSendTests.Scene scene, string subject, string html)
    {
        var email = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", subject, html));
        var sent = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, email.Id);
        Assert.True(sent.Status == "Sent", $"{sent.Status} {sent.FailureCode} {sent.FailureReason}");
        return Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, email.Id));
    }

    private static async Task<Api.Problem> AssertRefusedAsync(OutboxSendTests.Scene scene, string subject)
    {
        var before = (await scene.Mia.EmailsAsync(scene.TaskId)).Count;
        using var refused = await scene.Mia.PostAsync($"/api/tasks/{scene.TaskId}/emails", Form(scene.Account.Id, "max@mail.test", subject, "<p>One too many.</p>"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await Api.ProblemAsync(refused);
        Assert.Equal("plan_email_uses_reached", problem.Code);
        Assert.Equal(before, (await scene.Mia.EmailsAsync(scene.TaskId)).Count);
        await using var db = WatchRows.Open(scene.Server);
        Assert.False(await db.OutboundEmails.AnyAsync(e => e.Subject == subject));
        return problem;
    }

    private static async Task<Api.Problem> LinkRefusedAsync(HttpClient http, object account)
    {
        using var refused = await http.PostAsJsonAsync("/api/accounts", account);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await Api.ProblemAsync(refused);
        Assert.Equal("plan_email_accounts_reached", problem.Code);
        return problem;
    }

    private static async Task<(int Linked, int Limit)> AccountsAsync(MailroomServer server)
    {
        var usage = await server.Http.GetAsync<WorkspaceUsage>("/api/workspace");
        return (usage.EmailAccounts, usage.EmailAccountsLimit);
    }

    private static async Task SetUsesAsync(MailroomServer server, int uses)
    {
        await using var db = WatchRows.Open(server);
        await db.Workspaces.ExecuteUpdateAsync(s => s.SetProperty(w => w.EmailUses, uses));
    }

    /// <summary>An email that failed once and waits an hour for its next attempt, as the worker leaves one.</summary>
    private static async Task<Guid> SeedRetryingAsync(OutboxSendTests.Scene scene)
    {
        await using var db = WatchRows.Open(scene.Server);
        var email = new OutboundEmail
        {
            TaskId = scene.TaskId, AccountId = scene.Account.Id, AuthorUserId = scene.MiaId, FromAddress = "mia@mail.test",
            MessageId = $"{Guid.NewGuid():N}@mail.test", To = ["max@mail.test"], Subject = "Retrying", BodyText = "Retrying", BodyHtml = "<p>Retrying</p>",
            Status = OutboundStatus.Queued, Attempts = 1, NextAttemptAt = DateTimeOffset.UtcNow.AddHours(1),
            FailureCode = "smtp_unavailable", FailureReason = "The server said 421: try later.", CreatedAt = DateTimeOffset.UtcNow,
        };
        db.OutboundEmails.Add(email);
        await db.SaveChangesAsync();
        return email.Id;
    }
}
