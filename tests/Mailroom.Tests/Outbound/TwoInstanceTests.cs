using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using Mailroom.Accounts.Watching;
using Mailroom.Inbound;
using Mailroom.Outbound;
using Mailroom.Storage;
using Mailroom.Tests.Accounts.Watching;
using Mailroom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Xunit.Abstractions;
using ActivityKind = Mailroom.Tasks.ActivityKind;
using TaskActivity = Mailroom.Tasks.TaskActivity;

namespace Mailroom.Tests.Outbound;

/// <summary>
/// Two Mailroom servers on one PostgreSQL database (issue 11, item 9), as an operator runs them:
/// two processes, each with its own data directory, sharing the database, the blob directory and
/// the Data Protection key folder, in front of one real provider (Dovecot and Postfix). Every
/// email is queued through the API, half through each server, and both servers' outbox workers
/// send; replies land in the accounts' INBOXes, which the two servers' watchers share out by lease.
/// </summary>
[Collection(Alone.Name)]
public class TwoInstanceTests(ITestOutputHelper output)
{
    private const int Accounts = 4;
    private const int Emails = 2000;
    private const int Replies = 500;
    private const string Password = "shared-mailbox-secret";
    private const string SentLine = "sent through account";
    private const string WatchingLine = "Watching the INBOX of account";

    [Fact]
    public async Task TwoServersOnOnePostgres_SendEachEmailOnce_ImportEachReplyOnce_AndTakeOverFromOneThatDies()
    {
        var clock = Stopwatch.StartNew();
        // A provider tuned for many logins, as a real one is: login processes serve many connections.
        await using var mail = await MailServer.StartAsync(Enumerable.Range(1, Accounts).Select(i => ($"desk{i}", Password)).Append(("max", Password)),
            dovecotSettings: """
                service submission-login {
                  service_count = 0
                }
                service imap-login {
                  service_count = 0
                }
                """);
        var shared = Directory.CreateTempSubdirectory("mailroom-shared-").FullName;
        try
        {
            var settings = Settings(shared);
            await using var first = await StartAsync(settings);
            settings["ConnectionStrings:Mailroom"] = first.Settings["ConnectionStrings:Mailroom"];
            await using var second = await StartAsync(settings);
            MailroomServer[] servers = [first, second];
            var ids = servers.ToDictionary(WatchRows.InstanceId);
            Assert.Equal(2, ids.Count);

            var token = await first.SetupAsync();
            second.Http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            // Enterprise's two free accounts and two bought slots (recorded, not charged: no payment processor).
            await first.UsePlanAsync("enterprise");
            using (var buy = new HttpRequestMessage(HttpMethod.Post, "/api/billing/slots") { Content = System.Net.Http.Json.JsonContent.Create(new { quantity = Accounts - 2 }) })
            {
                buy.Headers.Add("Idempotency-Key", "two-instance-slots");
                using var bought = await first.Http.SendAsync(buy);
                await Api.EnsureAsync(bought);
            }
            var (_, list) = await first.Http.SpaceWithListAsync();
            var tasks = new List<TasksApi.TaskItem>();
            for (var i = 0; i < 10; i++)
            {
                tasks.Add(await servers[i % 2].Http.CreateTaskAsync(list.Id, $"Customer order batch {i}"));
            }
            // Linked through either server: the other reads its credentials through the shared key ring.
            var accounts = new List<OutboxClient.Account>();
            for (var i = 0; i < Accounts; i++)
            {
                var account = await servers[i % 2].Http.LinkAsync(mail.CustomAccount($"desk{i + 1}", Password));
                accounts.Add(account);
                // One at a time: whichever server's round comes first claims a new account, so the two may share them out.
                await Until.TrueAsync(async () => await WatchRows.WatchAsync(first, account.Id) is { HolderId: not null }, "the new account to be claimed", TimeSpan.FromSeconds(30));
            }
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: two servers up, {Accounts} accounts linked");

            // 1. Sends: each email queued through the API of one server or the other, eight at a time.
            var queueing = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, Emails), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            {
                var form = OutboxClient.Form(accounts[i % Accounts].Id, mail.Address("max"), $"Order {i}", $"<p>Order number {i} is confirmed.</p>");
                await servers[i % 2].Http.QueueAsync(tasks[i % tasks.Count].Id, form);
            });
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {Emails} emails queued in {queueing.Elapsed.TotalSeconds:0.0} s");
            await Until.TrueAsync(async () => await CountAsync(first, db => db.OutboundEmails.CountAsync(e => e.Status == OutboundStatus.Sent)) == Emails,
                $"all {Emails} emails to be sent", TimeSpan.FromMinutes(5), () => StatusReport(first));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: all sent, {queueing.Elapsed.TotalSeconds:0.0} s after the first was queued");

            List<OutboundEmail> emails;
            List<TaskActivity> sentLines;
            await using (var db = WatchRows.Open(first))
            {
                emails = await db.OutboundEmails.AsNoTracking().ToListAsync();
                sentLines = await db.TaskActivities.AsNoTracking().Where(a => a.Kind == ActivityKind.EmailSent).ToListAsync();
            }
            Assert.Equal(Emails, emails.Count);
            // Each email counted one use, whichever server sent it (the counter is raised in the save that records it Sent).
            await using (var db = WatchRows.Open(first))
            {
                Assert.Equal(Emails, await db.Workspaces.Select(w => w.EmailUses).SingleAsync());
            }
            // Claimed once each: a second claim (by the other server, or after a lease ran out) counts as an attempt.
            Assert.All(emails, e => Assert.Equal((OutboundStatus.Sent, 1, (string?)null, (string?)null), (e.Status, e.Attempts, e.FailureCode, e.LeaseOwner)));
            Assert.Equal(emails.Select(e => e.CommentId).Order(), sentLines.Select(a => a.CommentId).Order());
            // Both servers did their share (each logs the emails it sent).
            var sentBy = servers.Select(s => s.Collected(SentLine).Count).ToList();
            output.WriteLine($"sent by the first server: {sentBy[0]}, by the second: {sentBy[1]}");
            Assert.Equal(Emails, sentBy.Sum());
            Assert.All(sentBy, n => Assert.True(n > 0, $"One server sent nothing ({sentBy[0]} and {sentBy[1]}): both workers must run."));

            // The recipient's mailbox, read as he would: each email exactly once.
            await Until.TrueAsync(mail.RelayQueueEmptyAsync, "the relay to deliver everything", TimeSpan.FromMinutes(2), () => Tail(mail.MailLog));
            var received = (await InboxAsync(mail, "max")).Select(m => m.MessageId).ToList();
            Assert.Equal(Emails, received.Count);
            Assert.Equal(emails.Select(e => e.MessageId).Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: the recipient's INBOX holds each email once");

            // 2. Replies: to the first 500 emails (125 per account), each into the INBOX of the account it left through.
            var replies = emails.OrderBy(Number).Take(Replies).Select(e => (Email: e, Message: Reply(mail, e))).ToList();
            await mail.DeliverAsync(replies.Select(r => (r.Message, User(r.Email))));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {Replies} replies delivered");
            await Until.TrueAsync(async () => await CountAsync(first, db => db.Comments.CountAsync(c => c.InboundMessageId != null)) >= Replies,
                $"all {Replies} replies to be in their tasks", TimeSpan.FromMinutes(5), () => ImportReport(first) + Tail(first.Log) + Tail(second.Log));
            await first.Http.WaitUntilProcessedAsync();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: all replies imported");

            var (imported, comments, watches) = await ImportsAsync(first, accounts.Select(a => a.Id));
            // Each stored once (whichever server's watcher fetched it), each posted once, under the email it answers.
            Assert.Equal(replies.Select(r => r.Message.MessageId).Order(StringComparer.Ordinal), imported.Select(m => m.MessageIdHeader!).Order(StringComparer.Ordinal));
            Assert.All(imported, m => Assert.Equal(InboundStatus.Posted, m.Status));
            Assert.Equal(replies.Select(r => (r.Message.MessageId!, r.Email.CommentId)).Order(), comments.Select(c => (c.EmailMessageId!, c.ParentCommentId)).Order());
            // One lease per account, held by one of the two; and only its holder ever logged in to watch it.
            Assert.Equal(accounts.Select(a => a.Id).Order(), watches.Select(w => w.AccountId).Order());
            foreach (var watch in watches)
            {
                Assert.True(watch.HolderId is not null && ids.ContainsKey(watch.HolderId), $"Account {watch.AccountId} is held by {watch.HolderId ?? "nobody"}.");
                var watchers = servers.Where(s => s.Collected(WatchingLine).Any(l => l.Contains(watch.AccountId.ToString(), StringComparison.Ordinal))).ToList();
                Assert.Same(ids[watch.HolderId!], Assert.Single(watchers));
            }
            output.WriteLine($"leases: {string.Join(", ", watches.Select(w => ids[w.HolderId!] == first ? "first" : "second"))}; replies processed by the first server: {await CountAsync(first, db => db.InboundMessages.CountAsync(m => m.AccountId != null && m.LeaseOwner == WatchRows.InstanceId(first)))}");

            // 3. The server watching the first account dies (SIGKILL: it releases nothing); a reply arrives for that account.
            var target = accounts[0].Id;
            var holder = watches.Single(w => w.AccountId == target).HolderId!;
            var dead = ids[holder];
            var survivor = servers.Single(s => s != dead);
            var survivorId = WatchRows.InstanceId(survivor);
            var orphaned = watches.Where(w => w.HolderId == holder).Select(w => w.AccountId).ToList();
            var watchedBefore = survivor.Collected(WatchingLine).Count;
            dead.Kill();
            var unanswered = emails.Where(e => e.AccountId == target && Number(e) >= Replies).MinBy(Number)!;
            var late = Reply(mail, unanswered);
            await mail.DeliverAsync(late, User(unanswered));
            await Until.TrueAsync(async () => await CountAsync(survivor, db => db.AccountWatches.CountAsync(w => orphaned.Contains(w.AccountId) && w.HolderId == survivorId)) == orphaned.Count,
                "the surviving server to take over the dead one's leases", TimeSpan.FromMinutes(1), () => Tail(survivor.Log));
            await Until.TrueAsync(async () => await CountAsync(survivor, db => db.Comments.CountAsync(c => c.EmailMessageId == late.MessageId)) == 1,
                "the reply that came after the death to be in its task", TimeSpan.FromMinutes(1), () => Tail(survivor.Log));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {orphaned.Count} account(s) taken over, the late reply imported");

            // The survivor looked at every message of the taken-over INBOXes again from the dead one's checkpoints: none imported twice.
            foreach (var accountId in orphaned)
            {
                var highest = (await InboxAsync(mail, User(accounts.Single(a => a.Id == accountId).Email))).Max(m => m.Uid);
                await Until.TrueAsync(async () => await WatchRows.WatchAsync(survivor, accountId) is { } w && w.LastUid >= highest,
                    "the survivor's checkpoint to pass every message", TimeSpan.FromMinutes(1), () => Tail(survivor.Log));
            }
            await survivor.Http.WaitUntilProcessedAsync();
            (imported, comments, watches) = await ImportsAsync(survivor, accounts.Select(a => a.Id));
            var all = replies.Select(r => r.Message.MessageId).Append(late.MessageId).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(all, imported.Select(m => m.MessageIdHeader!).Order(StringComparer.Ordinal));
            Assert.Equal(all, comments.Select(c => c.EmailMessageId!).Order(StringComparer.Ordinal));
            Assert.All(watches, w => Assert.Equal(survivorId, w.HolderId));
            Assert.True(survivor.Collected(WatchingLine).Skip(watchedBefore).Any(l => l.Contains(target.ToString(), StringComparison.Ordinal)), "The survivor never logged in to watch the dead server's account.");
        }
        finally
        {
            Daemons.DeleteQuietly(shared);
        }
    }

    /// <summary>Short watch leases (a dead server's accounts are taken over within seconds), a quick outbox poll, one log line per entry.</summary>
    /// <summary>
    /// A send that takes longer than its lease (a slow submission server, a large file) is still
    /// its sender's: the lease is renewed while it runs, so the other server, polling all the
    /// while, never takes it for a dead one's and sends it a second time.
    /// </summary>
    [Fact]
    public async Task ASendLongerThanItsLease_IsNotTakenByTheOtherServer_AndLeavesOnce()
    {
        await using var mail = await MailServer.StartAsync([("desk1", Password)]);
        await using var slow = ScriptedSmtp.Start();
        slow.DataReply = _ =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(12));
            return "250 2.0.0 Ok: queued as 5SlowQ";
        };
        var shared = Directory.CreateTempSubdirectory("mailroom-shared-").FullName;
        try
        {
            var settings = Settings(shared);
            settings["Mailroom:Outbox:LeaseDuration"] = "00:00:05";
            settings["Mailroom:Accounts:ConnectionTimeout"] = "00:01:00";
            await using var first = await StartAsync(settings);
            settings["ConnectionStrings:Mailroom"] = first.Settings["ConnectionStrings:Mailroom"];
            await using var second = await StartAsync(settings);
            var token = await first.SetupAsync();
            second.Http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var (_, list) = await first.Http.SpaceWithListAsync();
            var task = await first.Http.CreateTaskAsync(list.Id, "Slow server");
            var account = await first.Http.LinkAsync(mail.CustomAccount("desk1", Password, smtpPort: slow.Port));

            var queued = await first.Http.QueueAsync(task.Id, OutboxClient.Form(account.Id, "client@example.test", "Slowly", "<p>Takes a while.</p>"));
            var sent = await first.Http.WaitForOutcomeAsync(task.Id, queued.Id, TimeSpan.FromSeconds(60));

            Assert.Equal("Sent", sent.Status);
            Assert.Single(slow.Messages);
            await using var db = WatchRows.Open(first);
            var row = await db.OutboundEmails.AsNoTracking().SingleAsync(e => e.Id == queued.Id);
            Assert.Equal((OutboundStatus.Sent, 1), (row.Status, row.Attempts));
            Assert.Equal(1, first.Collected(SentLine).Count + second.Collected(SentLine).Count);
        }
        finally
        {
            Directory.Delete(shared, recursive: true);
        }
    }

    private static Dictionary<string, string> Settings(string shared)
    {
        var settings = WatchScenario.Settings(OutboxClient.Settings);
        settings["Mailroom:Accounts:Watch:RenewInterval"] = "00:00:01";
        settings["Mailroom:Accounts:Watch:LeaseDuration"] = "00:00:06";
        settings["Mailroom:Outbox:PollInterval"] = "00:00:00.200";
        settings["Mailroom:BlobDirectory"] = Path.Combine(shared, "blobs");
        settings["Mailroom:DataProtection:KeysDirectory"] = Path.Combine(shared, "keys");
        settings["Logging:LogLevel:Mailroom.Outbound.OutboxDelivery"] = "Information";
        settings["Logging:Console:FormatterName"] = "systemd";
        return settings;
    }

    private static async Task<MailroomServer> StartAsync(Dictionary<string, string> settings)
    {
        var server = new MailroomServer(Database.Postgres, settings);
        server.Collect(SentLine);
        server.Collect(WatchingLine);
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<T> CountAsync<T>(MailroomServer server, Func<MailroomDb, Task<T>> query)
    {
        await using var db = WatchRows.Open(server);
        return await query(db);
    }

    private static string ImportReport(MailroomServer server)
    {
        using var db = WatchRows.Open(server);
        var statuses = db.InboundMessages.AsNoTracking().Where(m => m.AccountId != null).GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToList();
        var comments = db.Comments.Count(c => c.InboundMessageId != null);
        var errors = db.InboundMessages.AsNoTracking().Where(m => m.AccountId != null && m.Status != InboundStatus.Posted).Select(m => m.Outcome).Take(3).ToList();
        return $"imported by status: {string.Join(", ", statuses.Select(x => $"{x.Key} {x.Count}"))}; comments {comments}; errors: {string.Join(" | ", errors)}\n";
    }

    private static string StatusReport(MailroomServer server)
    {
        using var db = WatchRows.Open(server);
        var counts = db.OutboundEmails.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToList();
        return string.Join(", ", counts.Select(c => $"{c.Key}: {c.Count}")) + "\n" + Tail(server.Log);
    }

    /// <summary>The number in an email's subject ("Order 17").</summary>
    private static int Number(OutboundEmail email) => int.Parse(email.Subject["Order ".Length..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The mailbox's user name: the local part of the account's address.</summary>
    private static string User(OutboundEmail email) => User(email.FromAddress);

    private static string User(string address) => address[..address.IndexOf('@')];

    /// <summary>The customer answers an email, as his mail program does: In-Reply-To and References name it.</summary>
    private static MimeMessage Reply(MailServer mail, OutboundEmail email)
    {
        var reply = new MimeMessage();
        reply.From.Add(new MailboxAddress("Max Customer", mail.Address("max")));
        reply.To.Add(MailboxAddress.Parse(email.FromAddress));
        reply.Subject = "Re: " + email.Subject;
        reply.MessageId = $"reply-{Guid.NewGuid():N}@mail.test";
        reply.InReplyTo = email.MessageId;
        reply.References.Add(email.MessageId);
        reply.Body = new TextPart("plain") { Text = $"Thank you, {email.Subject} arrived." };
        return reply;
    }

    /// <summary>What the watchers stored and the processors posted, and the leases, as the database holds them.</summary>
    private static async Task<(List<InboundMessage> Imported, List<Mailroom.Tasks.Comment> Comments, List<AccountWatch> Watches)> ImportsAsync(MailroomServer server, IEnumerable<Guid> accountIds)
    {
        var imported = new List<InboundMessage>();
        foreach (var accountId in accountIds)
        {
            imported.AddRange(await WatchRows.ImportedAsync(server, accountId));
        }
        await using var db = WatchRows.Open(server);
        var comments = await db.Comments.AsNoTracking().Where(c => c.InboundMessageId != null).ToListAsync();
        return (imported, comments, await db.AccountWatches.AsNoTracking().ToListAsync());
    }

    /// <summary>The UID and Message-ID (without angle brackets) of every message in the user's INBOX, in one FETCH.</summary>
    private static async Task<List<(long Uid, string MessageId)>> InboxAsync(MailServer mail, string user)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", mail.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(mail.Address(user), Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = imap.Inbox.Count == 0 ? [] : await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope);
        await imap.DisconnectAsync(true);
        return summaries.Select(s => ((long)s.UniqueId.Id, (s.Envelope?.MessageId ?? "").Trim('<', '>'))).ToList();
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];
}
