using Mailroom.Accounts;
using Mailroom.Outbound;
using Mailroom.Tests.Accounts.Watching;
using Mailroom.Tests.Accounts;
using Mailroom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using static Mailroom.Tests.Outbound.OutboxClient;

namespace Mailroom.Tests.Outbound;

/// <summary>
/// What the outbox does when the provider does not simply take the email: a temporary refusal is
/// retried with growing waits until it is taken, an account that needs re-authentication stops a
/// scheduled email with CONT_002, and the id Outlook names in its 250 reply joins the thread.
/// </summary>
public class OutboxFailureTests(OutboxMailFixture fixture) : IClassFixture<OutboxMailFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record AccountView(Guid Id, string Health, string? LastErrorCode);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Send_RefusedForNowAtRcpt_StaysQueued_RetriedWithGrowingWaits_ThenLeavesOnce(Database database)
    {
        // Waits of about 1, 2 and 4 s (each ±20%): far enough apart that their order shows through any scheduling noise.
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database, new Dictionary<string, string>
        {
            ["Mailroom:Outbox:FirstRetryDelay"] = "00:00:01",
            ["Mailroom:Outbox:MaxRetryDelay"] = "00:00:10",
        });
        await fixture.Mail.SetRecipientAccessAsync("max@mail.test 451 4.3.0 try later");
        List<OutboundEmail> retries = [];
        Guid id;
        try
        {
            id = (await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "Your quote", "<p>Here it is.</p>"))).Id;
            // What the worker stored after each refused attempt, read as it is between two attempts.
            var deadline = DateTime.UtcNow.AddSeconds(40);
            while (retries.Count < 3 && DateTime.UtcNow < deadline)
            {
                var row = await OutboxRows.EmailAsync(scene.Server, id);
                Assert.NotEqual(OutboundStatus.Failed, row.Status);
                Assert.NotEqual(OutboundStatus.Sent, row.Status);
                if (row.Status == OutboundStatus.Queued && row.Attempts > (retries.LastOrDefault()?.Attempts ?? 0))
                {
                    retries.Add(row);
                }
                await Task.Delay(50);
            }
        }
        finally
        {
            await fixture.Mail.SetRecipientAccessAsync("");
        }

        Assert.Equal([1, 2, 3], retries.Select(r => r.Attempts));
        Assert.All(retries, r =>
        {
            Assert.Equal("smtp_4.3.0", r.FailureCode);
            Assert.Contains("451", r.FailureReason);
            Assert.Contains("try later", r.FailureReason);
        });
        // Each wait is about twice the one before: the next attempt times move apart by at least the lower bound of each wait.
        var firstGap = retries[1].NextAttemptAt - retries[0].NextAttemptAt;
        var secondGap = retries[2].NextAttemptAt - retries[1].NextAttemptAt;
        Assert.True(firstGap >= TimeSpan.FromSeconds(1.6), $"{firstGap}");
        Assert.True(secondGap >= TimeSpan.FromSeconds(3.2), $"{secondGap}");
        Assert.True(secondGap > firstGap, $"{firstGap} then {secondGap}");
        // While it waits, the author sees it queued with the server's reason, and nothing failed in the activity.
        var waiting = (await scene.Mia.EmailsAsync(scene.TaskId)).Single(e => e.Id == id);
        Assert.Contains(waiting.Status, new[] { "Queued", "Sending", "Sent" });

        var sent = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, id, TimeSpan.FromSeconds(40));
        Assert.True(sent.Status == "Sent", $"{sent.Status} {sent.FailureCode} {sent.FailureReason}\n{fixture.Mail.MailLog[^Math.Min(3000, fixture.Mail.MailLog.Length)..]}");
        Assert.Equal((4, null), ((await OutboxRows.EmailAsync(scene.Server, id)).Attempts, sent.FailureCode));
        Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, id));
        var activity = await scene.Mia.ActivityAsync(scene.TaskId);
        Assert.Single(activity, a => a.Kind == "EmailSent");
        Assert.DoesNotContain(activity, a => a.Kind == "EmailFailed");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Scheduled_OnAnAccountThatNowNeedsReauthentication_IsNotSent_AndFailsWithCont002AndItsRemedy(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database, new Dictionary<string, string>
        {
            ["Mailroom:Accounts:Watch:RetryMin"] = "00:00:00.200",
            ["Mailroom:Accounts:Watch:RetryMax"] = "00:00:00.500",
            // The new account is claimed for watching at the next lease round: soon, not in 15 s.
            ["Mailroom:Accounts:Watch:RenewInterval"] = "00:00:00.500",
            ["Mailroom:Accounts:Watch:LeaseDuration"] = "00:00:03",
        });
        var scheduled = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "Monday's reminder", "<p>See you Monday.</p>",
            sendAt: DateTimeOffset.Now.AddDays(1)));

        // Mia changes her password at the provider and does not tell Mailroom: the watcher's logins are refused until the threshold.
        await fixture.Mail.SetPasswordAsync("mia", "a-new-password-mailroom-does-not-know");
        try
        {
            // A wait, not a stopwatch: a loaded machine may take a while for the watcher's rounds.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            // Its IDLE session is ended (once the watcher has one), as the provider ends sessions after a password change.
            while (!await KickedAsync("mia") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            AccountView account;
            while ((account = Assert.Single(await scene.Mia.GetAsync<List<AccountView>>("/api/accounts"))).Health != "NeedsReauthentication" && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            Assert.True(account.Health == "NeedsReauthentication", $"{account.Health} {account.LastErrorCode}\n{scene.Server.Log}");

            // Its time comes (moved to now, as Mia might) with nobody at the keyboard: it does not leave.
            using (var moved = await scene.Mia.PutAsync($"/api/emails/{scheduled.Id}", Form(scene.Account.Id, "max@mail.test", "Monday's reminder", "<p>See you Monday.</p>",
                sendAt: DateTimeOffset.Now.AddSeconds(5))))
            {
                await Api.EnsureAsync(moved);
            }
            var failed = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, scheduled.Id, TimeSpan.FromSeconds(20));
            Assert.Equal(("Failed", "CONT_002"), (failed.Status, failed.FailureCode));
            Assert.Equal("Re-authorise the email account connected to your workspace, or set the email to Active, then try again.", failed.FailureReason);
            var line = Assert.Single(await scene.Mia.ActivityAsync(scene.TaskId), a => a.Kind == "EmailFailed");
            Assert.Contains("\"Monday's reminder\"", line.Text);
            Assert.Contains("could not be sent: CONT_002 Re-authorise the email account", line.Text);
            Assert.Contains(await scene.Mia.GetAsync<List<Notification>>("/api/notifications"), n => n.Text.Contains("CONT_002 Re-authorise the email account"));
            // Not even tried: no login with the stale password, nothing in Max's mailbox.
            Assert.Equal(1, (await OutboxRows.EmailAsync(scene.Server, scheduled.Id)).Attempts);
        }
        finally
        {
            await fixture.Mail.SetPasswordAsync("mia", OutboxMailFixture.MiaPassword);
        }
        Assert.Empty(await FindAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, scheduled.Id));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Scheduled_OnAnAccountTheWatcherCouldNotReach_StillLeaves(Database database)
    {
        // No watcher here, so nothing sets the account back to Active before the email's time.
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database, new Dictionary<string, string> { ["Mailroom:Accounts:Watch:Enabled"] = "false" });
        // As the watcher leaves it after a network blip: that says nothing about the credentials, nor about SMTP.
        await using (var db = WatchRows.Open(scene.Server))
        {
            await db.MailAccounts.Where(a => a.Id == scene.Account.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Health, AccountHealth.CannotConnect).SetProperty(a => a.LastErrorCode, AccountProblems.Unreachable));
        }
        Assert.Equal("CannotConnect", Assert.Single(await scene.Mia.GetAsync<List<AccountView>>("/api/accounts")).Health);

        var email = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "Still on", "<p>See you.</p>", sendAt: DateTimeOffset.Now.AddSeconds(8)));
        Assert.Equal("Scheduled", email.Status);
        var sent = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, email.Id, TimeSpan.FromSeconds(30));
        Assert.True(sent.Status == "Sent", $"{sent.Status} {sent.FailureCode} {sent.FailureReason}");
        Assert.NotNull(sent.SendAt);
        Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, email.Id));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Send_WithAPasswordTheProviderNoLongerTakes_FailsWithNemail002_AndOnlyRefusalsInARowMeanReauthentication(Database database)
    {
        // No watcher: every login refused here is the outbox's. One attempt per email: a network error fails it at once, instead of later.
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database, new Dictionary<string, string>
        {
            ["Mailroom:Accounts:Watch:Enabled"] = "false",
            ["Mailroom:Outbox:MaxAttempts"] = "1",
            // Every email logs in anew (no session kept from the one before): what is counted is logins.
            ["Mailroom:Outbox:KeepSessionsOpen"] = "00:00:00",
        });
        async Task<Email> SendAsync(string subject)
        {
            var queued = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", subject, "<p>Hello Max.</p>"));
            return await scene.Mia.WaitForOutcomeAsync(scene.TaskId, queued.Id, TimeSpan.FromSeconds(40));
        }
        async Task<AccountView> AccountAsync() => Assert.Single(await scene.Mia.GetAsync<List<AccountView>>("/api/accounts"));
        async Task RefusedAsync(string subject)
        {
            var failed = await SendAsync(subject);
            Assert.True((failed.Status, failed.FailureCode) == ("Failed", "NEMAIL_002"), $"{failed.Status} {failed.FailureCode} {failed.FailureReason}");
            Assert.Contains("refused the login", failed.FailureReason);
        }

        // Mia changes her password at the provider and does not tell Mailroom.
        await fixture.Mail.SetPasswordAsync("mia", "a-new-password-mailroom-does-not-know");
        try
        {
            await RefusedAsync("First try");
            await RefusedAsync("Second try");
            // Two refused logins in a row, under the threshold of 3: the account says NEMAIL_002 but is not flagged.
            Assert.Equal(("Active", "NEMAIL_002"), ((await AccountAsync()).Health, (await AccountAsync()).LastErrorCode));

            // The provider cannot be reached: a network error, not a third refusal.
            await fixture.Mail.StopImapAsync();
            try
            {
                var lost = await SendAsync("Third try");
                Assert.True((lost.Status, lost.FailureCode) == ("Failed", "network"), $"{lost.Status} {lost.FailureCode} {lost.FailureReason}");
            }
            finally
            {
                await fixture.Mail.StartImapAsync();
            }
            Assert.Equal("Active", (await AccountAsync()).Health);

            // Mia puts the old password back: the next email logs in, and the refusals start over.
            await fixture.Mail.SetPasswordAsync("mia", OutboxMailFixture.MiaPassword);
            var sent = await SendAsync("Fourth try");
            Assert.True(sent.Status == "Sent", $"{sent.Status} {sent.FailureCode} {sent.FailureReason}");
            Assert.Equal(("Active", (string?)null), ((await AccountAsync()).Health, (await AccountAsync()).LastErrorCode));

            await fixture.Mail.SetPasswordAsync("mia", "a-new-password-mailroom-does-not-know");
            await RefusedAsync("Fifth try");
            await RefusedAsync("Sixth try");
            Assert.Equal("Active", (await AccountAsync()).Health);
            Assert.DoesNotContain(await scene.Server.Http.GetAsync<List<WatchScenario.Notification>>("/api/notifications"), n => n.AccountId == scene.Account.Id);

            // The third refusal in a row: the account needs re-authentication, and the owner (an admin who did not link it) is told once.
            await RefusedAsync("Seventh try");
            // The account is flagged right after the email's outcome is recorded: waited for, not raced.
            await Until.TrueAsync(async () => (await AccountAsync()).Health == "NeedsReauthentication", "the account to need re-authentication", TimeSpan.FromSeconds(10));
            Assert.Equal(("NeedsReauthentication", "NEMAIL_002"), ((await AccountAsync()).Health, (await AccountAsync()).LastErrorCode));
            // The notice is written right after the flip: waited for, not raced.
            await Until.TrueAsync(async () => (await scene.Server.Http.GetAsync<List<WatchScenario.Notification>>("/api/notifications")).Any(n => n.AccountId == scene.Account.Id),
                "the owner to be told", TimeSpan.FromSeconds(10));
            var notice = Assert.Single(await scene.Server.Http.GetAsync<List<WatchScenario.Notification>>("/api/notifications"), n => n.AccountId == scene.Account.Id);
            Assert.Contains("needs re-authentication", notice.Text);
        }
        finally
        {
            await fixture.Mail.SetPasswordAsync("mia", OutboxMailFixture.MiaPassword);
        }
        Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, (await scene.Mia.EmailsAsync(scene.TaskId)).Single(e => e.Status == "Sent").Id));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EmailsDueTogether_LeaveOverKeptOpenSessions_AndARefusedRecipientFailsOnlyItsEmail(Database database)
    {
        // The submission server is a scripted peer (it counts logins); IMAP stays the real Dovecot.
        await using var smtp = ScriptedSmtp.Start();
        smtp.Rcpt = line => line.Contains("nobody@example.test", StringComparison.Ordinal) ? "550 5.1.1 <nobody@example.test>: Recipient address rejected" : "250 2.1.5 Ok";
        await using var server = await MailroomServer.StartAsync(database, Settings);
        await server.SetupAsync();
        await server.UsePlanAsync("unlimited"); // Send later
        var (_, mia) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = mia;
        var account = await mia.LinkAsync(fixture.Mail.CustomAccount("mia", OutboxMailFixture.MiaPassword, smtpPort: smtp.Port));
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Quote for the Berlin office");

        // Twelve emails due at one moment (one of them to an address the server refuses), as a morning's scheduled batch is.
        var at = DateTimeOffset.Now.AddSeconds(10);
        var ids = new List<Guid>();
        for (var i = 1; i <= 12; i++)
        {
            var to = i == 5 ? "nobody@example.test" : $"client{i}@example.test";
            ids.Add((await mia.QueueAsync(task.Id, Form(account.Id, to, $"Quote {i}", $"<p>Quote number {i}.</p>", sendAt: at))).Id);
        }
        // Logins until now were the link's test and learning the server's SIZE, before anything was due.
        var logins = smtp.Commands.Count(c => c.StartsWith("AUTH", StringComparison.Ordinal));
        var outcomes = new List<Email>();
        foreach (var id in ids)
        {
            outcomes.Add(await mia.WaitForOutcomeAsync(task.Id, id, TimeSpan.FromSeconds(40)));
        }

        var refused = outcomes[4];
        Assert.True((refused.Status, refused.FailureCode) == ("Failed", "smtp_5.1.1"), $"{refused.Status} {refused.FailureCode} {refused.FailureReason}\n{server.Log}");
        Assert.Contains("nobody@example.test was refused", refused.FailureReason);
        Assert.All(outcomes.Where(e => e.Id != refused.Id), e => Assert.True(e.Status == "Sent", $"{e.Subject}: {e.Status} {e.FailureCode} {e.FailureReason}"));
        Assert.Equal(11, smtp.Messages.Count);
        Assert.Equal(11, smtp.Messages.Select(m => MimeMessage.Load(new MemoryStream(m)).Subject).Distinct().Count());
        // Each email its own transaction, but far fewer logins than emails: at most one per sending slot (4), and one more after the refusal closed its session.
        var commands = smtp.Commands;
        Assert.Equal(12, commands.Count(c => c.StartsWith("MAIL FROM", StringComparison.Ordinal)));
        var sessionLogins = commands.Count(c => c.StartsWith("AUTH", StringComparison.Ordinal)) - logins;
        Assert.True(sessionLogins <= 5, $"{sessionLogins} logins for 12 emails:\n{string.Join("\n", commands)}");
    }

    private async Task<bool> KickedAsync(string user)
    {
        try
        {
            await fixture.Mail.KickAsync(user);
            return true;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("no users kicked", StringComparison.Ordinal))
        {
            return false;
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Send_ThroughAServerThatNamesItsOwnIdIn250_RecordsThatId_AndAReplyToItLandsInTheTask(Database database)
    {
        // Outlook's submission server (which cannot run here) answers as a scripted peer; the mailbox's IMAP is the real Dovecot.
        // Unique per run: the mailbox outlives the server, and an earlier run's reply must not name this run's email.
        var outlookId = $"AM0PR01MB6123{Guid.NewGuid():N}@AM0PR01MB6123.eurprd01.prod.exchangelabs.com".ToUpperInvariant();
        await using var outlook = ScriptedSmtp.Start();
        outlook.DataReply = _ => $"250 2.0.0 OK <{outlookId}> [Hostname=AM0PR01MB6123.eurprd01.prod.exchangelabs.com]";
        await using var server = await MailroomServer.StartAsync(database, Settings);
        await server.SetupAsync();
        var (_, mia) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = mia;
        var account = await mia.LinkAsync(fixture.Mail.CustomAccount("mia", OutboxMailFixture.MiaPassword, smtpPort: outlook.Port));
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Quote for the Berlin office");

        var queued = await mia.QueueAsync(task.Id, Form(account.Id, "client@example.test", "Your quote", "<p>Here it is.</p>"));
        var sent = await mia.WaitForOutcomeAsync(task.Id, queued.Id);
        Assert.True(sent.Status == "Sent", $"{sent.Status} {sent.FailureCode} {sent.FailureReason}\n{server.Log}");
        var ours = MimeMessage.Load(new MemoryStream(Assert.Single(outlook.Messages))).MessageId;
        Assert.NotEqual(outlookId, ours);
        Assert.Equal(outlookId, (await OutboxRows.EmailAsync(server, queued.Id)).ProviderMessageId);
        var comment = (await mia.CommentsAsync(task.Id)).Single(c => c.FromEmail);
        var ids = await OutboxRows.ThreadIdsAsync(server, task.Id);
        Assert.Contains(ids, t => t.MessageId == ours && t.Source == ThreadIdSource.Generated);
        Assert.Contains(ids, t => t.MessageId == outlookId && t.Source == ThreadIdSource.Provider && t.CommentId == comment.Id && t.OutboundEmailId == queued.Id);

        // The client answers what they received (Outlook's id), under another subject: the reply lands in the task, under the email.
        var answer = new MimeMessage();
        answer.From.Add(new MailboxAddress("Carla Client", "client@example.test"));
        answer.To.Add(MailboxAddress.Parse(fixture.Mail.Address("mia")));
        answer.Subject = "Numbers look fine";
        answer.MessageId = $"answer-{Guid.NewGuid():N}@example.test";
        answer.InReplyTo = outlookId;
        answer.References.Add(outlookId);
        answer.Body = new TextPart("plain") { Text = "Thanks, the numbers look fine." };
        await fixture.Mail.DeliverAsync(answer, "mia");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<TasksApi.Comment> replies = [];
        while (replies.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            replies = (await mia.CommentsAsync(task.Id)).Single(c => c.Id == comment.Id).Replies;
        }
        var reply = Assert.Single(replies);
        Assert.Contains("the numbers look fine", reply.Body);
        Assert.Equal("client@example.test", reply.AuthorEmail);
    }
}
