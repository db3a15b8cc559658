using System.Diagnostics;
using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using Mailroom.Tests.Infrastructure;
using Mailroom.Tests.Outbound;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace Mailroom.Bench.Outbound;

/// <summary>
/// One Mailroom server (the real one, <c>dotnet Mailroom.dll</c> in its own process, on a fresh
/// SQLite data directory) with a workspace, a task, and Mia's mailbox linked through the API: what
/// every figure starts from. Each figure gets its own, so one figure's heap and rows do not weigh
/// on the next.
/// </summary>
internal sealed class Workspace : IAsyncDisposable
{
    public const string Password = "bench-mailbox-secret";

    private Workspace(MailroomServer server, MailServer mail, Guid taskId, Guid accountId)
    {
        Server = server;
        Mail = mail;
        TaskId = taskId;
        AccountId = accountId;
    }

    public MailroomServer Server { get; }
    public MailServer Mail { get; }
    public Guid TaskId { get; }
    public Guid AccountId { get; }
    public HttpClient Http => Server.Http;

    public static async Task<Workspace> StartAsync(MailServer mail, IDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>
        {
            // Dovecot listens on 127.0.0.1: a private address, refused by default.
            ["Mailroom:Accounts:AllowPrivateHosts"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        // The machine this runs on may be crowded: a start-up (migrations, JIT) can take minutes there.
        var server = new MailroomServer(Database.Sqlite, all) { StartTimeout = TimeSpan.FromMinutes(5) };
        try
        {
            await server.StartAsync();
            await server.SetupAsync();
            var (_, list) = await server.Http.SpaceWithListAsync();
            var task = await server.Http.CreateTaskAsync(list.Id, "Quote for the Berlin office");
            var account = await server.Http.LinkAsync(Custom(mail, "mia"));
            return new Workspace(server, mail, task.Id, account.Id);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public static object Custom(MailServer mail, string user) => new
    {
        provider = "Custom",
        email = mail.Address(user),
        password = Password,
        imapHost = "127.0.0.1",
        imapPort = mail.ImapPort,
        imapSecurity = "None",
        smtpHost = "127.0.0.1",
        smtpPort = mail.SubmissionPort,
        smtpSecurity = "None",
    };

    /// <summary>
    /// Sends one email from the task to Max through the outbox and returns the Message-ID it
    /// reached Max with: what his replies name in In-Reply-To.
    /// </summary>
    public async Task<string> SendFirstEmailAsync()
    {
        var email = await Http.QueueAsync(TaskId, OutboxClient.Form(AccountId, Mail.Address("max"), "Quote, please", "<p>Dear Max, could you send us a quote?</p>"));
        var outcome = await Http.WaitForOutcomeAsync(TaskId, email.Id, TimeSpan.FromSeconds(60));
        if (outcome.Status != "Sent")
        {
            throw new InvalidOperationException($"The first email did not leave: {outcome.Status} {outcome.FailureCode} {outcome.FailureReason}\n{Server.Log}");
        }
        var received = await OutboxClient.WaitForAsync(Mail, "max", Password, email.Id);
        return received.Single().MessageId ?? throw new InvalidOperationException("The email reached Max without a Message-ID.");
    }

    /// <summary>Max's reply to <paramref name="inReplyTo"/>, its body carrying <paramref name="token"/> to find it in the task.</summary>
    public byte[] Reply(string inReplyTo, string token, int i) => Raw(
        $"From: Max Outside <{Mail.Address("max")}>\r\nTo: {Mail.Address("mia")}\r\nSubject: Re: Quote, please ({i})\r\n" +
        $"Message-ID: <reply-{Guid.NewGuid():N}@mail.test>\r\nIn-Reply-To: <{inReplyTo}>\r\nReferences: <{inReplyTo}>\r\n" +
        $"Date: {DateTimeOffset.UtcNow:r}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
        $"Hello Mia, here is answer {token}. The price stands for 30 days.\r\n\r\nMax\r\n");

    /// <summary>Mail from elsewhere that answers no task: looked at (headers) and left alone.</summary>
    public byte[] Noise(int i) => Raw(
        $"From: Newsletter <news@elsewhere.test>\r\nTo: {Mail.Address("mia")}\r\nSubject: Weekly digest {i}\r\n" +
        $"Message-ID: <noise-{Guid.NewGuid():N}@elsewhere.test>\r\nDate: {DateTimeOffset.UtcNow:r}\r\nMIME-Version: 1.0\r\n" +
        $"Content-Type: text/plain; charset=utf-8\r\n\r\nNothing to do with any task, number {i}.\r\n");

    private static byte[] Raw(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Delivers messages into a user's INBOX over Dovecot's LMTP (as Postfix does), one session, one transaction per message; each is in the mailbox when its 250 comes.</summary>
    public static async Task DeliverAsync(MailServer mail, string user, IEnumerable<byte[]> messages)
    {
        await using var lmtp = await RawSmtp.ConnectAsync(mail.LmtpPort, "LHLO");
        foreach (var message in messages)
        {
            var reply = await lmtp.SendAsync("max@mail.test", [mail.Address(user)], message);
            if (!reply.StartsWith('2'))
            {
                throw new InvalidOperationException($"LMTP refused a message: {reply}\n{mail.DovecotLog}");
            }
        }
    }

    /// <summary>Every comment of the task (replies included), flattened.</summary>
    public async Task<List<TasksApi.Comment>> CommentsAsync() =>
        (await Http.CommentsAsync(TaskId)).SelectMany(c => c.Replies.Prepend(c)).ToList();

    /// <summary>One number from the server's database, read past the application (read-only, as an operator's sqlite3 would).</summary>
    public long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Server.DataDirectory, "mailroom.db")};Mode=ReadOnly;Pooling=False;Default Timeout=30");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>An IMAP session as Mia, INBOX open read-only: the raw peer's client.</summary>
    public static async Task<ImapClient> OpenInboxAsync(MailServer mail, string user)
    {
        var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", mail.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(mail.Address(user), Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        return imap;
    }

    /// <summary>Polls <paramref name="condition"/> every <paramref name="every"/> until it holds; throws with the server log after <paramref name="timeout"/>.</summary>
    public async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, TimeSpan every)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                var log = Server.Log;
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.\n{log[Math.Max(0, log.Length - 4000)..]}");
            }
            await Task.Delay(every);
        }
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The figures as printed: percentiles of a sample and a table row.</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        // Nearest rank: p99 of 100 values is the 99th, of 200 the 198th.
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double seconds) => (seconds * 1000).ToString("F0", CultureInfo.InvariantCulture) + " ms";

    public static string F(double value, string format = "F1") => value.ToString(format, CultureInfo.InvariantCulture);
}
