using System.Diagnostics;
using System.Net.Http.Json;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Mailroom.Tests.Infrastructure;
using Mailroom.Tests.Outbound;
using MimeKit;

namespace Mailroom.Tests.Accounts.Watching;

/// <summary>
/// A workspace where Mia linked her mailbox and emailed someone from a task: the task, the comment
/// that shows her email, its Message-ID known to the thread, and Fred following the task. Until
/// the outbox sends for real, "emailed" is the rows sending leaves behind (<see cref="WatchRows.SentAsync"/>).
/// </summary>
internal sealed class WatchScenario
{
    public sealed record Notification(Guid Id, Guid? TaskId, Guid? CommentId, string Text, Guid? AccountId = null);

    /// <summary>The account as the API shows it to the member who linked it.</summary>
    public sealed record AccountState(Guid Id, string Email, string Health, string? LastErrorCode, string? LastErrorRemedy, bool ServerSavesSentCopy);

    public required MailroomServer Server { get; init; }
    public required MailServer Mail { get; init; }
    public required string User { get; init; }
    public required Guid AccountId { get; init; }
    public required Guid TaskId { get; init; }
    public required Guid SentCommentId { get; init; }
    public required string SentMessageId { get; init; }
    public required HttpClient Mia { get; init; }
    public required HttpClient Fred { get; init; }

    /// <summary>Short leases and retries, so take-overs and reconnects happen within a test's seconds.</summary>
    public static Dictionary<string, string> Settings(IDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Mailroom:Accounts:AllowPrivateHosts"] = "true",
            ["Mailroom:Accounts:Watch:RenewInterval"] = "00:00:00.500",
            ["Mailroom:Accounts:Watch:LeaseDuration"] = "00:00:03",
            ["Mailroom:Accounts:Watch:RetryMin"] = "00:00:00.200",
            ["Mailroom:Accounts:Watch:RetryMax"] = "00:00:01",
            ["Logging:LogLevel:Mailroom.Accounts"] = "Information",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>Sets the workspace up on a running <paramref name="server"/> and waits until the account is watched.</summary>
    /// <param name="serverSavesSentCopy">The member says the server files sent mail in Sent itself (as Gmail and Outlook do).</param>
    public static async Task<WatchScenario> CreateAsync(MailroomServer server, MailServer mail, string user, string password, string replyMode = "threaded", string? sentMessageId = null,
        bool serverSavesSentCopy = false)
    {
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync(replyMode);
        var task = await server.Http.CreateTaskAsync(list.Id, "Quote for the Berlin office");
        var (_, mia) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        var (_, fred) = await server.Http.AddMemberAsync("Fred Follower", "fred@acme.test", "Member");
        await Api.EnsureAsync(await fred.PutAsync($"/api/tasks/{task.Id}/follow", null));
        var account = await mia.PostAsync<AccountLinkingTests.Account>("/api/accounts", mail.CustomAccount(user, password, serverSavesSentCopy: serverSavesSentCopy));
        var sent = await mia.PostAsync<TasksApi.Comment>($"/api/tasks/{task.Id}/comments", new { body = "Dear Max, could you send us a quote?" });
        // Mia is told as the sender, not as a follower.
        using (var unfollow = await mia.DeleteAsync($"/api/tasks/{task.Id}/follow"))
        {
            await Api.EnsureAsync(unfollow);
        }
        var messageId = sentMessageId ?? $"sent-{Guid.NewGuid():N}@mailroom.test";
        await WatchRows.SentAsync(server, task.Id, sent.Id, messageId);
        var scenario = new WatchScenario
        {
            Server = server, Mail = mail, User = user, AccountId = account.Id, TaskId = task.Id, SentCommentId = sent.Id, SentMessageId = messageId, Mia = mia, Fred = fred,
        };
        await scenario.WaitUntilWatchedAsync();
        return scenario;
    }

    /// <summary>Waits until a watcher has looked at the INBOX (its checkpoint is set) since <paramref name="after"/>.</summary>
    public async Task WaitUntilWatchedAsync(DateTimeOffset? after = null, MailroomServer? server = null)
    {
        var since = after ?? DateTimeOffset.MinValue;
        await Until.TrueAsync(async () => await WatchRows.WatchAsync(server ?? Server, AccountId) is { UidValidity: not null, LastSeenAt: { } seen } && seen > since,
            "the account to be watched", TimeSpan.FromSeconds(30));
    }

    /// <summary>Max answers (or writes) to the watched mailbox; delivered by the provider's MX as mail from outside is.</summary>
    public async Task<string> DeliverAsync(string subject, string text, params string[] inReplyTo)
    {
        var message = Reply(subject, text, inReplyTo);
        await Mail.DeliverAsync(message, User);
        return message.MessageId!;
    }

    /// <summary>Several of Max's messages in one session of the provider's MX (a burst); returns their Message-IDs.</summary>
    public async Task<List<string>> DeliverAllAsync(IEnumerable<(string Subject, string Text)> messages, params string[] inReplyTo)
    {
        var built = messages.Select(m => Reply(m.Subject, m.Text, inReplyTo)).ToList();
        await Mail.DeliverAsync(built.Select(m => (m, User)));
        return built.Select(m => m.MessageId!).ToList();
    }

    private MimeMessage Reply(string subject, string text, string[] inReplyTo)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Max Outside", Mail.Address("max")));
        message.To.Add(MailboxAddress.Parse(Mail.Address(User)));
        message.Subject = subject;
        message.MessageId = $"reply-{Guid.NewGuid():N}@mail.test";
        if (inReplyTo.Length > 0)
        {
            message.InReplyTo = inReplyTo[^1];
            foreach (var id in inReplyTo)
            {
                message.References.Add(id);
            }
        }
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    /// <summary>Waits until the message is in the INBOX; returns when it was seen there.</summary>
    public async Task<Stopwatch> WaitInMailboxAsync(string messageId)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", Mail.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(Mail.Address(User), WatchMailFixture.Password);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
            if ((await imap.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId))).Count > 0)
            {
                var seen = Stopwatch.StartNew();
                await imap.DisconnectAsync(true);
                return seen;
            }
            await imap.Inbox.CloseAsync();
            await Task.Delay(20);
        }
        throw new TimeoutException($"{messageId} never reached the mailbox:\n{Mail.MailLog}");
    }

    /// <summary>The highest UID in the INBOX (what a watcher that has looked at everything has as its checkpoint).</summary>
    public async Task<long> HighestUidAsync()
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", Mail.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(Mail.Address(User), WatchMailFixture.Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var all = await imap.Inbox.SearchAsync(SearchQuery.All);
        await imap.DisconnectAsync(true);
        return all.Count == 0 ? 0 : all.Max(u => (long)u.Id);
    }

    public Task<List<TasksApi.Comment>> CommentsAsync() => Server.Http.CommentsAsync(TaskId);

    /// <summary>Every comment and reply of the task, flattened.</summary>
    public async Task<List<TasksApi.Comment>> AllCommentsAsync() =>
        (await CommentsAsync()).SelectMany(c => c.Replies.Prepend(c)).ToList();

    public async Task<TasksApi.Comment> WaitForCommentAsync(string text, TimeSpan? timeout = null)
    {
        TasksApi.Comment? found = null;
        await Until.TrueAsync(async () => (found = (await AllCommentsAsync()).FirstOrDefault(c => c.Body.Contains(text))) is not null,
            $"a comment saying \"{text}\"", timeout ?? TimeSpan.FromSeconds(30), () => Server.Log);
        return found!;
    }

    public static Task<List<Notification>> NotificationsAsync(HttpClient member) => member.GetAsync<List<Notification>>("/api/notifications");

    public Task<List<AccountLinkingTests.Account>> AccountsAsync() => Mia.GetAsync<List<AccountLinkingTests.Account>>("/api/accounts");

    /// <summary>Mia's account as she sees it in the API.</summary>
    public async Task<AccountState> AccountAsync() => (await Mia.GetAsync<List<AccountState>>("/api/accounts")).Single(a => a.Id == AccountId);

    /// <summary>Waits until Mia's account, as the API shows it, is in the state <paramref name="condition"/> wants; returns that view.</summary>
    public async Task<AccountState> WaitForAccountAsync(Func<AccountState, bool> condition, string what, TimeSpan? timeout = null)
    {
        AccountState? seen = null;
        await Until.TrueAsync(async () => condition(seen = await AccountAsync()), what, timeout ?? TimeSpan.FromSeconds(30),
            () => $"Last seen: {seen}\n{Server.Log}");
        return seen!;
    }

    /// <summary>The notices about the account (not about tasks) <paramref name="member"/> has.</summary>
    public async Task<List<Notification>> AccountNoticesAsync(HttpClient member) =>
        (await NotificationsAsync(member)).Where(n => n.AccountId == AccountId).ToList();
}

/// <summary>Poll until a condition holds, with a deadline: never a sleep standing in for synchronisation.</summary>
internal static class Until
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"Waited {timeout.TotalSeconds:0} s for {what}.{(context is null ? "" : "\n" + context())}");
    }
}
