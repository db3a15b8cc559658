using Mailroom.Outbound;
using Mailroom.Tests.Accounts.Watching;
using Mailroom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Tests.Outbound;

/// <summary>The outbox's rows as the server stored them, read past the API: what the worker recorded between attempts, and the thread's ids.</summary>
internal static class OutboxRows
{
    public static async Task<OutboundEmail> EmailAsync(MailroomServer server, Guid id)
    {
        await using var db = WatchRows.Open(server);
        return await db.OutboundEmails.AsNoTracking().SingleAsync(e => e.Id == id);
    }

    public static async Task<List<MailThreadId>> ThreadIdsAsync(MailroomServer server, Guid taskId)
    {
        await using var db = WatchRows.Open(server);
        return await db.MailThreadIds.AsNoTracking().Where(t => t.TaskId == taskId).ToListAsync();
    }
}
