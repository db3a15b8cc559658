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
                accounts.Add(await servers[i % 2].Http.LinkAsync(mail.CustomAccount($"desk{i + 1}", Password)));
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
            var received = await MessageIdsAsync(mail, "max");
            Assert.Equal(Emails, received.Count);
            Assert.Equal(emails.Select(e => e.MessageId).Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: the recipient's INBOX holds each email once");
        }
        finally
        {
            Daemons.DeleteQuietly(shared);
        }
    }

    /// <summary>Short watch leases (a dead server's accounts are taken over within seconds), a quick outbox poll, one log line per entry.</summary>
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

    private static string StatusReport(MailroomServer server)
    {
        using var db = WatchRows.Open(server);
        var counts = db.OutboundEmails.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToList();
        return string.Join(", ", counts.Select(c => $"{c.Key}: {c.Count}")) + "\n" + Tail(server.Log);
    }

    /// <summary>The Message-ID of every message in the user's INBOX (one FETCH of envelopes), without angle brackets.</summary>
    private static async Task<List<string>> MessageIdsAsync(MailServer mail, string user)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", mail.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(mail.Address(user), Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = imap.Inbox.Count == 0 ? [] : await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope);
        await imap.DisconnectAsync(true);
        return summaries.Select(s => (s.Envelope?.MessageId ?? "").Trim('<', '>')).ToList();
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];
}
