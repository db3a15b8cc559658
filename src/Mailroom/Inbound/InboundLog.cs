using System.Linq.Expressions;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Inbound;

/// <summary>Every inbound message, with what became of it and why, and every recipient refused at RCPT; admins only.</summary>
public sealed class InboundLog(MailroomDb db, BlobStore blobs, ProcessorSignal signal, InboundLinks links)
{
    /// <summary>The log never needs the bytes of messages still waiting with their raw content inline.</summary>
    private static readonly Expression<Func<InboundMessage, InboundMessage>> WithoutRaw = m => new InboundMessage
    {
        Id = m.Id, ReceivedAt = m.ReceivedAt, BlobHash = m.BlobHash, Size = m.Size, MailFrom = m.MailFrom, Recipients = m.Recipients,
        RemoteAddress = m.RemoteAddress, Helo = m.Helo, Status = m.Status, Kind = m.Kind, Outcome = m.Outcome, FromAddress = m.FromAddress,
        Subject = m.Subject, MessageIdHeader = m.MessageIdHeader, Attempts = m.Attempts, ProcessedAt = m.ProcessedAt,
        FromAuthenticated = m.FromAuthenticated, Authentication = m.Authentication,
    };

    /// <summary>The latest messages, newest first; <paramref name="address"/> matches part of a recipient, the envelope sender or the From address.</summary>
    public async Task<IReadOnlyList<InboundLogEntry>> ListAsync(User actor, InboundStatus? status, string? address, int take, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var query = db.InboundMessages.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(m => m.Status == s);
        }
        if (AddressFilter(address) is { } part)
        {
            // Recipients are stored lower-cased; the senders as they came.
            query = query.Where(m => m.Recipients.Contains(part) || m.MailFrom.ToLower().Contains(part) || (m.FromAddress != null && m.FromAddress.ToLower().Contains(part)));
        }
        var rows = await query.OrderByDescending(m => m.Id).Take(Math.Clamp(take, 1, 500)).Select(WithoutRaw).ToListAsync(cancellationToken);
        var made = await links.ForAsync(rows.Where(m => m.Status == InboundStatus.Posted).Select(m => m.Id).ToList(), cancellationToken);
        return rows.Select(m => InboundLogEntry.Of(m, made.GetValueOrDefault(m.Id))).ToList();
    }

    /// <summary>Recipients refused at RCPT, last refused first; <paramref name="address"/> matches part of the recipient or the envelope sender.</summary>
    public async Task<IReadOnlyList<RefusalLogEntry>> ListRefusalsAsync(User actor, string? address, int take, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var query = db.RcptRefusals.AsNoTracking();
        if (AddressFilter(address) is { } part)
        {
            query = query.Where(r => r.Address.Contains(part) || r.MailFrom.ToLower().Contains(part));
        }
        var rows = await query.OrderByDescending(r => r.LastSeenAt).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return rows.Select(RefusalLogEntry.Of).ToList();
    }

    /// <summary>The part of an address to look for, lower-cased (addresses are compared case-insensitively); null for none.</summary>
    public static string? AddressFilter(string? address)
    {
        var part = address?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(part))
        {
            return null;
        }
        return part.Length <= 320 ? part : throw AppProblem.Invalid("invalid_address", "An address to filter by is at most 320 characters.");
    }

    public async Task<InboundLogEntry> GetAsync(User actor, Guid id, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var row = await db.InboundMessages.AsNoTracking().Where(m => m.Id == id).Select(WithoutRaw).FirstOrDefaultAsync(cancellationToken) ?? throw AppProblem.NotFound("The message");
        var made = await links.ForAsync([row.Id], cancellationToken);
        return InboundLogEntry.Of(row, made.GetValueOrDefault(row.Id));
    }

    /// <summary>The message as received: from its row while it waits for processing, else from the blob store.</summary>
    public async Task<Stream> OpenRawAsync(User actor, Guid id, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        var row = await db.InboundMessages.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.BlobHash, m.Raw }).FirstOrDefaultAsync(cancellationToken)
            ?? throw AppProblem.NotFound("The message");
        return row.Raw is { } raw ? new MemoryStream(raw, writable: false) : blobs.OpenRead(row.BlobHash);
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
