using System.Collections.Concurrent;
using System.Diagnostics;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Search;
using Mailroom.Tests.Infrastructure;
using Mailroom.Tests.Outbound;
using MimeKit;
using static Mailroom.Bench.Outbound.Stats;

namespace Mailroom.Bench.Outbound;

/// <summary>One measured figure: Mailroom's value next to the raw peer's (the same server driven with MailKit alone).</summary>
internal sealed record Figure(string Name, string Mailroom, string Raw, string Note);

/// <summary>The five figures of issue 11's benchmark. Each starts its own Mailroom server on the shared Dovecot + Postfix.</summary>
internal static class Figures
{
    private const int Concurrency = 4;

    /// <summary>
    /// 1. Outbox send rate: N emails queued through POST /api/tasks/{id}/emails (4 at a time, as
    /// a few members would), timed until the API shows every one Sent; against MailKit's
    /// SmtpClient sending the same emails to the same submission server, 4 at a time, with a new
    /// connection per email (as the outbox does) and over 4 kept-open connections.
    /// </summary>
    public static async Task<List<Figure>> SendAsync(MailServer mail, int count)
    {
        await using var w = await Workspace.StartAsync(mail);
        await w.SendFirstEmailAsync();
        var max = mail.Address("max");
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, _) =>
            await w.Http.QueueAsync(w.TaskId, OutboxClient.Form(w.AccountId, max, $"Quote {i}", $"<p>Dear Max, quote number <b>{i}</b>, please.</p>")));
        var queued = watch.Elapsed.TotalSeconds;
        List<OutboxClient.Email> emails = [];
        await w.UntilAsync(async () => (emails = await w.Http.EmailsAsync(w.TaskId)).Count(e => e.Status is "Sent" or "Failed") == count + 1,
            $"{count} emails to be sent", TimeSpan.FromMinutes(20), TimeSpan.FromMilliseconds(250));
        var sent = watch.Elapsed.TotalSeconds;
        var failed = emails.Count(e => e.Status == "Failed");

        var messages = Enumerable.Range(0, count).Select(i => RawEmail(mail, i)).ToList();
        var perEmail = await RawSendAsync(mail, messages, keepOpen: false);
        var kept = await RawSendAsync(mail, messages, keepOpen: true);
        return
        [
            new Figure($"1. send rate, {count} emails", $"{F(count / sent)} emails/s until all Sent ({F(count / queued)}/s queued through the API{(failed > 0 ? $", {failed} FAILED" : "")})",
                $"{F(count / perEmail)} emails/s (new connection per email)", $"Mailroom / raw = {F(perEmail / sent, "F2")}"),
            new Figure("1. send rate, raw peer over kept-open connections", "", $"{F(count / kept)} emails/s (4 connections kept open)", $"Mailroom / raw = {F(kept / sent, "F2")}"),
        ];
    }

    /// <summary>What the outbox builds, near enough: HTML with its plain-text part, from Mia to Max, an id of its own.</summary>
    private static MimeMessage RawEmail(MailServer mail, int i)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(mail.Address("mia")));
        message.To.Add(MailboxAddress.Parse(mail.Address("max")));
        message.Subject = $"Quote {i}";
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("mail.test");
        message.Body = new BodyBuilder { HtmlBody = $"<p>Dear Max, quote number <b>{i}</b>, please.</p>", TextBody = $"Dear Max, quote number {i}, please." }.ToMessageBody();
        return message;
    }

    /// <summary>Sends every message through Mia's submission login, <see cref="Concurrency"/> at a time; the seconds it took.</summary>
    private static async Task<double> RawSendAsync(MailServer mail, List<MimeMessage> messages, bool keepOpen)
    {
        var queue = new ConcurrentQueue<MimeMessage>(messages);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            SmtpClient? smtp = null;
            while (queue.TryDequeue(out var message))
            {
                if (smtp is null)
                {
                    smtp = new SmtpClient();
                    await smtp.ConnectAsync("127.0.0.1", mail.SubmissionPort, MailKit.Security.SecureSocketOptions.None);
                    await smtp.AuthenticateAsync(mail.Address("mia"), Workspace.Password);
                }
                await smtp.SendAsync(message);
                if (!keepOpen)
                {
                    await smtp.DisconnectAsync(true);
                    smtp.Dispose();
                    smtp = null;
                }
            }
            if (smtp is not null)
            {
                await smtp.DisconnectAsync(true);
                smtp.Dispose();
            }
        }));
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// 2. Reply latency: Max's replies delivered one at a time into Mia's INBOX over LMTP; from the
    /// delivery's 250 to the reply's text in the task's comments (polled every 20 ms), and, for the
    /// same delivery, to a MailKit client in IDLE on the same INBOX seeing it (EXISTS).
    /// </summary>
    public static async Task<List<Figure>> LatencyAsync(MailServer mail, int count)
    {
        await using var w = await Workspace.StartAsync(mail);
        var sentId = await w.SendFirstEmailAsync();
        using var idle = await Workspace.OpenInboxAsync(mail, "mia");
        var mailroom = new List<double>();
        var raw = new List<double>();
        // The first reply is a warm-up (and waits until the account is watched); not counted.
        for (var i = -1; i < count; i++)
        {
            var token = $"T{Guid.NewGuid():N}";
            var reply = w.Reply(sentId, token, i);
            var watch = new Stopwatch();
            var seen = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var done = new CancellationTokenSource();
            void Arrived(object? sender, EventArgs e)
            {
                seen.TrySetResult(watch.Elapsed.TotalSeconds);
                done.Cancel();
            }
            idle.Inbox.CountChanged += Arrived;
            var idling = idle.IdleAsync(done.Token);
            // IDLE is sent (and "+ idling" back) before the delivery: a round trip on loopback.
            await Task.Delay(50);
            watch.Start();
            await Workspace.DeliverAsync(mail, "mia", [reply]);
            var delivered = watch.Elapsed.TotalSeconds;
            await w.UntilAsync(async () => (await w.CommentsAsync()).Any(c => c.Body.Contains(token, StringComparison.Ordinal)),
                "the reply in the task", TimeSpan.FromSeconds(i < 0 ? 60 : 30), TimeSpan.FromMilliseconds(20));
            var inTask = watch.Elapsed.TotalSeconds;
            var idleSaw = await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await idling;
            idle.Inbox.CountChanged -= Arrived;
            if (i >= 0)
            {
                mailroom.Add(inTask - delivered);
                raw.Add(idleSaw - delivered);
            }
            // Spread out, as replies come: each starts from a watcher at rest in IDLE.
            await Task.Delay(100);
        }
        var aim = Percentile(mailroom, 99) < 2 ? "aim p99 < 2 s: MET" : "aim p99 < 2 s: NOT MET";
        return
        [
            new Figure($"2. reply latency, {count} replies", $"p50 {Ms(Percentile(mailroom, 50))}, p99 {Ms(Percentile(mailroom, 99))}, max {Ms(mailroom.Max())}",
                $"IDLE client sees it: p50 {Ms(Percentile(raw, 50))}, p99 {Ms(Percentile(raw, 99))}", $"{aim}; task polled every 20 ms"),
        ];
    }

    /// <summary>
    /// 3. Catch-up: Mailroom killed; N replies to the task's email and N/5 unrelated messages
    /// delivered into the INBOX; Mailroom started again and timed until every reply is stored
    /// (intake rows) and in the task (comments). Raw peer, while Mailroom is down: MailKit fetching
    /// the same messages' envelopes and references in batches of 200 (what the watcher asks for),
    /// then also each reply's whole message one by one (what the watcher then fetches).
    /// </summary>
    public static async Task<List<Figure>> CatchUpAsync(MailServer mail, int count)
    {
        await using var w = await Workspace.StartAsync(mail);
        var sentId = await w.SendFirstEmailAsync();
        var warm = $"W{Guid.NewGuid():N}";
        await Workspace.DeliverAsync(mail, "mia", [w.Reply(sentId, warm, -1)]);
        await w.UntilAsync(async () => (await w.CommentsAsync()).Any(c => c.Body.Contains(warm, StringComparison.Ordinal)), "the warm-up reply", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        var baseComments = w.Count("SELECT COUNT(*) FROM Comments");
        var baseStored = w.Count("SELECT COUNT(*) FROM InboundMessages WHERE AccountId IS NOT NULL");
        long lastUid;
        using (var imap = await Workspace.OpenInboxAsync(mail, "mia"))
        {
            lastUid = (await imap.Inbox.SearchAsync(SearchQuery.All)).Max(u => (long)u.Id);
        }
        w.Server.Kill();

        // A newsletter after every fifth reply: mail the watcher must look at and leave alone.
        var messages = Enumerable.Range(0, count).SelectMany(i => i % 5 == 4 ? [w.Reply(sentId, $"C{i}x", i), w.Noise(i)] : new[] { w.Reply(sentId, $"C{i}x", i) }).ToList();
        var replies = count;
        var delivering = Stopwatch.StartNew();
        await Task.WhenAll(messages.Chunk((messages.Count + Concurrency - 1) / Concurrency).Select(part => Workspace.DeliverAsync(mail, "mia", part)));
        var delivered = delivering.Elapsed.TotalSeconds;

        double headers, bodies;
        using (var imap = await Workspace.OpenInboxAsync(mail, "mia"))
        {
            var watch = Stopwatch.StartNew();
            var uids = (await imap.Inbox.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId((uint)lastUid + 1), UniqueId.MaxValue)))).ToList();
            var answering = new List<UniqueId>();
            foreach (var batch in uids.Chunk(200))
            {
                var summaries = await imap.Inbox.FetchAsync(batch, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.References | MessageSummaryItems.Size | MessageSummaryItems.InternalDate);
                answering.AddRange(summaries.Where(s => s.Envelope?.InReplyTo is not null).Select(s => s.UniqueId));
            }
            headers = watch.Elapsed.TotalSeconds;
            foreach (var uid in answering)
            {
                await using var stream = await imap.Inbox.GetStreamAsync(uid);
            }
            bodies = watch.Elapsed.TotalSeconds;
            if (answering.Count != replies)
            {
                throw new InvalidOperationException($"The INBOX holds {answering.Count} replies after the checkpoint, not {replies}.");
            }
        }

        var restart = Stopwatch.StartNew();
        await w.Server.StartAsync();
        var healthy = restart.Elapsed.TotalSeconds;
        double stored = 0;
        await w.UntilAsync(() =>
        {
            if (stored == 0 && w.Count("SELECT COUNT(*) FROM InboundMessages WHERE AccountId IS NOT NULL") >= baseStored + replies)
            {
                stored = restart.Elapsed.TotalSeconds;
            }
            return Task.FromResult(w.Count("SELECT COUNT(*) FROM Comments") >= baseComments + replies);
        }, $"{replies} replies in the task", TimeSpan.FromMinutes(30), TimeSpan.FromMilliseconds(250));
        var inTask = restart.Elapsed.TotalSeconds;
        stored = stored == 0 ? inTask : stored;
        var extra = w.Count("SELECT COUNT(*) FROM Comments") - baseComments - replies;
        var noiseStored = w.Count("SELECT COUNT(*) FROM InboundMessages WHERE AccountId IS NOT NULL") - baseStored - replies;
        return
        [
            new Figure($"3. catch-up, {replies} replies + {messages.Count - replies} others",
                $"all stored {F(stored)} s, all in the task {F(inTask)} s after start ({F(healthy)} s of it to /healthz): {F(replies / (inTask - healthy), "F0")} replies/s",
                $"headers of all {F(headers)} s; + each reply's body {F(bodies)} s ({F(replies / bodies, "F0")}/s)",
                $"delivered by LMTP in {F(delivered)} s; extra comments {extra}, others stored {noiseStored} (both should be 0)"),
        ];
    }

    /// <summary>
    /// 5. Scheduled send lateness: N emails scheduled at times spread over a window starting a few
    /// seconds after the last is queued; lateness = SentAt − SendAt from the API. Raw peer: a
    /// timer per email (Task.Delay to the same times) sending it with MailKit on a new connection.
    /// </summary>
    public static async Task<List<Figure>> ScheduleAsync(MailServer mail, int count, TimeSpan spread)
    {
        await using var w = await Workspace.StartAsync(mail);
        await w.SendFirstEmailAsync();
        var max = mail.Address("max");
        // Far enough ahead that queueing (some 20/s on a busy machine) ends before the first is due.
        var start = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5 + count / 10.0);
        DateTimeOffset At(int i) => start + spread * i / count;
        var ids = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, _) =>
            ids.Add((await w.Http.QueueAsync(w.TaskId, OutboxClient.Form(w.AccountId, max, $"Later {i}", $"<p>Scheduled {i}</p>", sendAt: At(i)))).Id));
        var queuedLate = DateTimeOffset.UtcNow > start;
        List<OutboxClient.Email> emails = [];
        await w.UntilAsync(async () => (emails = await w.Http.EmailsAsync(w.TaskId)).Count(e => ids.Contains(e.Id) && e.Status is "Sent" or "Failed") == count,
            $"{count} scheduled emails to leave", spread + TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(500));
        var late = emails.Where(e => ids.Contains(e.Id) && e.Status == "Sent").Select(e => (e.SentAt!.Value - e.SendAt!.Value).TotalSeconds).ToList();
        var failed = count - late.Count;

        var rawStart = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3);
        var rawLate = new ConcurrentBag<double>();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var at = rawStart + spread * i / count;
            var wait = at - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync("127.0.0.1", mail.SubmissionPort, MailKit.Security.SecureSocketOptions.None);
            await smtp.AuthenticateAsync(mail.Address("mia"), Workspace.Password);
            await smtp.SendAsync(RawEmail(mail, i));
            rawLate.Add((DateTimeOffset.UtcNow - at).TotalSeconds);
            await smtp.DisconnectAsync(true);
        }));
        var aim = Percentile(late, 99) < 1 ? "aim p99 < 1 s: MET" : "aim p99 < 1 s: NOT MET";
        return
        [
            new Figure($"5. scheduled lateness, {count} emails over {spread.TotalSeconds:0} s",
                $"p50 {Ms(Percentile(late, 50))}, p99 {Ms(Percentile(late, 99))}, max {Ms(late.DefaultIfEmpty(double.NaN).Max())}{(failed > 0 ? $", {failed} not sent" : "")}",
                $"timer + MailKit send: p50 {Ms(Percentile(rawLate.ToList(), 50))}, p99 {Ms(Percentile(rawLate.ToList(), 99))}",
                $"{aim}{(queuedLate ? "; WARNING: queueing ended after the first was due" : "")}"),
        ];
    }
    /// <summary>
    /// 4. Accounts watched by one instance: N Dovecot users linked through POST /api/accounts (each
    /// link tests its IMAP and SMTP login first, 4 at a time), then, once every one is watched
    /// (checkpoint set, N connections open to Dovecot's IMAP port) and after a settling pause,
    /// Mailroom's VmRSS, threads and CPU over <paramref name="rest"/> at rest, next to the same
    /// figures of Dovecot's own processes (its master and every child: the IMAP processes holding
    /// those N sessions), summed (RSS and Pss, shared pages counted once).
    /// </summary>
    public static async Task<List<Figure>> AccountsAsync(MailServer mail, int count, TimeSpan rest)
    {
        await using var w = await Workspace.StartAsync(mail);
        var pid = w.Server.ProcessId;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idleBefore = Proc.Status(pid, "VmRSS");
        var linking = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, _) =>
            await w.Http.LinkAsync(Workspace.Custom(mail, Program.WatchUser(i))));
        var linked = linking.Elapsed.TotalSeconds;
        // Mia's own account of the workspace makes it count + 1.
        await w.UntilAsync(() => Task.FromResult(w.Count("SELECT COUNT(*) FROM AccountWatches WHERE UidValidity IS NOT NULL") >= count + 1 && Proc.ConnectionsTo(mail.ImapPort) >= count + 1),
            $"{count + 1} accounts watched", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500));
        var watched = linking.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(10));

        var dovecot = Proc.Tree(mail.DovecotProcessId);
        var cpu0 = Proc.CpuSeconds(pid);
        var dovecotCpu0 = dovecot.ToDictionary(p => p, Proc.CpuSeconds);
        var peak = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < rest)
        {
            peak = Math.Max(peak, Proc.Status(pid, "VmRSS"));
            await Task.Delay(1000);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (Proc.CpuSeconds(pid) - cpu0) / seconds * 100;
        // Per process, over those still there at the end (a login process that exited reads as 0).
        var dovecotCpu = dovecotCpu0.Sum(p => Proc.CpuSeconds(p.Key) is var now and > 0 ? Math.Max(0, now - p.Value) : 0) / seconds * 100;
        var rss = Proc.Status(pid, "VmRSS");
        var threads = Proc.Status(pid, "Threads");
        var connections = Proc.ConnectionsTo(mail.ImapPort);
        var dovecotRss = dovecot.Sum(p => Proc.Status(p, "VmRSS"));
        var dovecotPss = dovecot.Sum(Proc.Pss);
        var aim = peak < 300 * 1024 && cpu < 2 ? "aim < 300 MB and near-zero CPU: MET" : "aim < 300 MB and near-zero CPU: NOT MET";
        return
        [
            new Figure($"4. {count + 1} accounts in IDLE, {seconds:0} s at rest",
                $"VmRSS {rss / 1024} MB (peak {peak / 1024} MB; {idleBefore / 1024} MB with 1 account), CPU {F(cpu, "F2")}% of a core, {threads} threads, {connections} IMAP connections",
                $"Dovecot: {dovecot.Count} processes, RSS sum {dovecotRss / 1024} MB (Pss {dovecotPss / 1024} MB), CPU {F(dovecotCpu, "F2")}%",
                $"{aim}; linked through the API in {F(linked)} s ({F(count / linked)}/s), all watched {F(watched)} s after the first link"),
        ];
    }
}
