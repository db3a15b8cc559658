using Mailroom.Accounts.Watching;
using Mailroom.Inbound;
using Mailroom.Outbound;
using Mailroom.Storage;
using Mailroom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Tests.Accounts.Watching;

/// <summary>
/// The server's database read and written past the application: the thread ids an email sent
/// from a task leaves behind (until the outbox writes them itself), and what the watchers stored.
/// </summary>
internal static class WatchRows
{
    public static MailroomDb Open(MailroomServer server)
    {
        if (server.Settings.GetValueOrDefault("Mailroom:Database:Provider") == "postgres")
        {
            return new PostgresMailroomDb(new DbContextOptionsBuilder<PostgresMailroomDb>().UseNpgsql(server.Settings["ConnectionStrings:Mailroom"]).Options);
        }
        return new SqliteMailroomDb(new DbContextOptionsBuilder<SqliteMailroomDb>()
            .UseSqlite($"Data Source={Path.Combine(server.DataDirectory, "mailroom.db")};Pooling=False;Default Timeout=30").Options);
    }

    /// <summary>
    /// What sending <paramref name="commentId"/>'s email from the task leaves behind: the comment
    /// carries the generated Message-ID, and the thread knows it (and the provider's id, if any).
    /// </summary>
    public static async Task SentAsync(MailroomServer server, Guid taskId, Guid commentId, string generatedId, string? providerId = null)
    {
        await using var db = Open(server);
        await db.Comments.Where(c => c.Id == commentId).ExecuteUpdateAsync(s => s.SetProperty(c => c.EmailMessageId, generatedId));
        db.MailThreadIds.Add(new MailThreadId { MessageId = generatedId, TaskId = taskId, CommentId = commentId, Source = ThreadIdSource.Generated, CreatedAt = DateTimeOffset.UtcNow });
        if (providerId is not null)
        {
            db.MailThreadIds.Add(new MailThreadId { MessageId = providerId, TaskId = taskId, CommentId = commentId, Source = ThreadIdSource.Provider, CreatedAt = DateTimeOffset.UtcNow });
        }
        await db.SaveChangesAsync();
    }

    /// <summary>The intake rows the watchers stored for the account.</summary>
    public static async Task<List<InboundMessage>> ImportedAsync(MailroomServer server, Guid accountId)
    {
        await using var db = Open(server);
        return await db.InboundMessages.AsNoTracking().Where(m => m.AccountId == accountId).OrderBy(m => m.Id)
            .Select(m => new InboundMessage { Id = m.Id, BlobHash = m.BlobHash, Recipients = m.Recipients, Status = m.Status, Outcome = m.Outcome, MessageIdHeader = m.MessageIdHeader, ImapUid = m.ImapUid, ImapUidValidity = m.ImapUidValidity, MailFrom = m.MailFrom, RemoteAddress = m.RemoteAddress })
            .ToListAsync();
    }

    /// <summary>What the thread knows <paramref name="messageId"/> as, if anything: which task, and where the id came from.</summary>
    public static async Task<MailThreadId?> ThreadIdAsync(MailroomServer server, string messageId)
    {
        await using var db = Open(server);
        return await db.MailThreadIds.AsNoTracking().FirstOrDefaultAsync(t => t.MessageId == messageId);
    }

    public static async Task<AccountWatch?> WatchAsync(MailroomServer server, Guid accountId)
    {
        await using var db = Open(server);
        return await db.AccountWatches.AsNoTracking().FirstOrDefaultAsync(w => w.AccountId == accountId);
    }

    /// <summary>The server's own id (the one its leases name), from its data directory.</summary>
    public static string InstanceId(MailroomServer server) => File.ReadAllText(Path.Combine(server.DataDirectory, "instance-id")).Trim();
}
