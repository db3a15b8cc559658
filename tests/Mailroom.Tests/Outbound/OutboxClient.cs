using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace Mailroom.Tests.Outbound;

/// <summary>The outbox API as the composer calls it, and the mailboxes as their owners would read them.</summary>
public static class OutboxClient
{
    public sealed record Email(
        Guid Id, Guid TaskId, Guid AccountId, Guid AuthorUserId, string From, List<string> To, List<string> Cc, List<string> Bcc,
        string Subject, string BodyHtml, string BodyText, string Status, DateTimeOffset? SendAt, DateTimeOffset? SentAt,
        string? FailureCode, string? FailureReason, List<Attachment> Attachments, DateTimeOffset CreatedAt);
    public sealed record Attachment(Guid Id, string FileName, string ContentType, long Size);
    public sealed record Account(Guid Id, string Email);
    public sealed record Notification(Guid Id, Guid TaskId, Guid? CommentId, string Text, DateTimeOffset CreatedAt, bool Read);

    public static Dictionary<string, string> Settings => new()
    {
        ["Mailroom:Accounts:AllowPrivateHosts"] = "true",
        ["Mailroom:Outbox:FirstRetryDelay"] = "00:00:01",
        ["Mailroom:Outbox:MaxRetryDelay"] = "00:00:02",
        ["Mailroom:Outbox:SentCopyWindow"] = "00:00:05",
    };

    /// <summary>The request that links <paramref name="user"/>'s mailbox on <paramref name="mail"/> as a Custom IMAP/SMTP account, without TLS (loopback).</summary>
    public static object CustomAccount(this MailServer mail, string user, string password, string? sendAsName = null, bool serverSavesSentCopy = false, int? smtpPort = null) => new
    {
        provider = "Custom",
        email = mail.Address(user),
        password,
        sendAsName,
        imapHost = "127.0.0.1",
        imapPort = mail.ImapPort,
        imapSecurity = "None",
        smtpHost = "127.0.0.1",
        smtpPort = smtpPort ?? mail.SubmissionPort,
        smtpSecurity = "None",
        serverSavesSentCopy,
    };

    public static async Task<Account> LinkAsync(this HttpClient http, object request) =>
        await http.PostAsync<Account>("/api/accounts", request);

    public static MultipartFormDataContent Form(Guid accountId, string to, string subject, string bodyHtml,
        DateTimeOffset? sendAt = null, Guid? replyTo = null, string? cc = null, string? bcc = null, params (string Name, string Type, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(accountId.ToString()), "accountId" },
            { new StringContent(to), "to" },
            { new StringContent(subject), "subject" },
            { new StringContent(bodyHtml), "bodyHtml" },
        };
        if (cc is not null) form.Add(new StringContent(cc), "cc");
        if (bcc is not null) form.Add(new StringContent(bcc), "bcc");
        if (sendAt is { } at) form.Add(new StringContent(at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz")), "sendAt");
        if (replyTo is { } r) form.Add(new StringContent(r.ToString()), "replyToCommentId");
        foreach (var (name, type, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new(type);
            form.Add(part, "attachments", name);
        }
        return form;
    }

    public static async Task<Email> QueueAsync(this HttpClient http, Guid taskId, MultipartFormDataContent form)
    {
        using var response = await http.PostAsync($"/api/tasks/{taskId}/emails", form);
        await Api.EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<Email>())!;
    }

    public static Task<List<Email>> EmailsAsync(this HttpClient http, Guid taskId) => http.GetAsync<List<Email>>($"/api/tasks/{taskId}/emails");

    /// <summary>Polls the task's emails until <paramref name="id"/> is in a final state (or the deadline passes).</summary>
    public static async Task<Email> WaitForOutcomeAsync(this HttpClient http, Guid taskId, Guid id, TimeSpan? timeout = null, params string[] states)
    {
        states = states.Length > 0 ? states : ["Sent", "Failed", "Held", "Cancelled"];
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var email = (await http.EmailsAsync(taskId)).Single(e => e.Id == id);
            if (states.Contains(email.Status) || DateTime.UtcNow > deadline)
            {
                return email;
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Every message in a mailbox folder carrying <c>X-Mailroom-Outbox: id</c>, read as its owner would with MailKit.</summary>
    public static async Task<List<MimeMessage>> FindAsync(MailServer mail, string user, string password, Guid outboxId, bool sent = false)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", mail.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(mail.Address(user), password);
        var folder = sent ? imap.GetFolder(SpecialFolder.Sent)! : imap.Inbox;
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var messages = new List<MimeMessage>();
        foreach (var uid in await folder.SearchAsync(SearchQuery.HeaderContains("X-Mailroom-Outbox", outboxId.ToString())))
        {
            messages.Add(await folder.GetMessageAsync(uid));
        }
        await imap.DisconnectAsync(true);
        return messages;
    }

    /// <summary>Polls until the folder holds at least one copy, then returns what it holds.</summary>
    public static async Task<List<MimeMessage>> WaitForAsync(MailServer mail, string user, string password, Guid outboxId, bool sent = false)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var found = await FindAsync(mail, user, password, outboxId, sent);
            if (found.Count > 0 || DateTime.UtcNow > deadline)
            {
                return found;
            }
            await Task.Delay(200);
        }
    }
}
