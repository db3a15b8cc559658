using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Inbound;

/// <summary>
/// The refusal table's writes, for <see cref="RefusalRecorder"/>'s single writer: repeats folded
/// into one row, and the table held within <see cref="InboundOptions.RefusalRetention"/> and
/// <see cref="InboundOptions.MaxRefusals"/> rows. Safe with several servers on one database: at
/// worst two servers each start a row for the same repeat, and each trims what it finds.
/// </summary>
internal sealed class RefusalStore(InboundOptions options, TimeProvider clock)
{
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;
    private long _knownRows;
    private long _addedRows;

    /// <summary>Often enough that a row is gone soon after its retention ends, rarely enough to cost nothing.</summary>
    public TimeSpan PruneInterval { get; } = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, options.RefusalRetention.Ticks / 4));

    /// <summary>Time for the retention pass, or this writer's own rows may have passed the count bound.</summary>
    public bool PruneDue => clock.GetUtcNow() - _lastPrune >= PruneInterval || _knownRows + _addedRows > options.MaxRefusals;

    public async Task AddAsync(MailroomDb db, IReadOnlyList<RefusedRecipient> batch, CancellationToken cancellationToken)
    {
        var window = options.RefusalCollapseWindow;
        var groups = window > TimeSpan.Zero
            ? batch.GroupBy(r => (r.Address, r.MailFrom, r.Reason)).Select(g => g.ToList())
            : batch.Select(r => new List<RefusedRecipient> { r });
        foreach (var group in groups)
        {
            var first = group[0];
            var last = group[^1];
            var since = first.At - window;
            var row = window <= TimeSpan.Zero ? null
                : await db.RcptRefusals
                    .Where(x => x.Address == first.Address && x.MailFrom == first.MailFrom && x.Reason == first.Reason && x.LastSeenAt >= since)
                    .OrderByDescending(x => x.LastSeenAt).FirstOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                row = new RcptRefusal { Address = first.Address, MailFrom = first.MailFrom, Reason = first.Reason, FirstSeenAt = first.At, Count = 0 };
                db.RcptRefusals.Add(row);
                _addedRows++;
            }
            row.Count = (int)Math.Min(int.MaxValue, (long)row.Count + group.Count);
            if (last.At >= row.LastSeenAt)
            {
                row.LastSeenAt = last.At;
                row.RemoteAddress = last.RemoteAddress;
                row.ReplyCode = last.ReplyCode;
                row.EnhancedCode = last.EnhancedCode;
                row.ReplyText = last.ReplyText;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Removes rows past their retention, then the oldest beyond the count bound; returns how many went.</summary>
    public async Task<int> PruneAsync(MailroomDb db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = now - options.RefusalRetention;
        var removed = await db.RcptRefusals.Where(r => r.LastSeenAt < expired).ExecuteDeleteAsync(cancellationToken);
        var rows = await db.RcptRefusals.LongCountAsync(cancellationToken);
        if (rows > options.MaxRefusals)
        {
            // Down to nine tenths of the bound, so a flood of new addresses trims once per tenth, not once per batch.
            var keep = options.MaxRefusals - options.MaxRefusals / 10;
            var newestRemoved = await db.RcptRefusals.OrderByDescending(r => r.LastSeenAt).Skip(keep).Select(r => r.LastSeenAt).FirstAsync(cancellationToken);
            var trimmed = await db.RcptRefusals.Where(r => r.LastSeenAt <= newestRemoved).ExecuteDeleteAsync(cancellationToken);
            removed += trimmed;
            rows -= trimmed;
        }
        _knownRows = rows;
        _addedRows = 0;
        _lastPrune = now;
        return removed;
    }
}
