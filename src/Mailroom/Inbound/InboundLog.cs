using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Inbound;

/// <summary>Every inbound message, with what became of it and why; admins only.</summary>
public sealed class InboundLog(MailroomDb db, ProcessorSignal signal)
{
    public async Task<IReadOnlyList<InboundLogEntry>> ListAsync(User actor, InboundStatus? status, int take, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var query = db.InboundMessages.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(m => m.Status == s);
        }
        var rows = await query.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return rows.Select(InboundLogEntry.Of).ToList();
    }

    public async Task<InboundLogEntry> GetAsync(User actor, Guid id, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var row = await db.InboundMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw AppProblem.NotFound("The message");
        return InboundLogEntry.Of(row);
    }

    public async Task<string> BlobHashAsync(User actor, Guid id, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        return await db.InboundMessages.Where(m => m.Id == id).Select(m => m.BlobHash).FirstOrDefaultAsync(cancellationToken) ?? throw AppProblem.NotFound("The message");
    }

    /// <summary>Puts a failed message back in the queue, e.g. after fixing what made it fail.</summary>
    public async Task RetryAsync(User actor, Guid id, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var changed = await db.InboundMessages.Where(m => m.Id == id && m.Status == InboundStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, InboundStatus.Pending).SetProperty(m => m.Attempts, 0).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        if (changed == 0)
        {
            throw AppProblem.Conflict("not_failed", "Only a message whose processing failed can be retried.");
        }
        signal.Notify();
    }
}
