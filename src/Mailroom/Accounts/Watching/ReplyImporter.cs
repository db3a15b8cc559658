using Mailroom.Inbound;
using Mailroom.Outbound;
using Mailroom.Smtp;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Accounts.Watching;

/// <summary>
/// The watchers' way into the intake store: a reply fetched over IMAP becomes an
/// <see cref="InboundMessage"/> row like one the listener accepted (raw bytes inline when small,
/// in the blob store otherwise), marked with its account and UID, and the processor reads it
/// exactly as it reads SMTP mail. The watcher itself decides nothing about what it becomes.
/// </summary>
public sealed class ReplyImporter(IServiceScopeFactory scopes, ThreadResolver threads, BlobStore blobs, WriteGate gate, ProcessorSignal signal,
    IOptions<InboundOptions> inbound, IOptions<SmtpServerOptions> smtp)
{
    /// <summary>The largest message imported: the listener's own limit, so both ways in accept the same mail.</summary>
    public long MaxSize => smtp.Value.MaxMessageSize;

    /// <summary>Of the ids a batch of messages names, those a task's thread is known by (the test made on headers alone, before anything is fetched): one query for the batch (<see cref="ThreadResolver.AnyKnown"/> then answers per message).</summary>
    public async Task<IReadOnlySet<string>> KnownThreadIdsAsync(IEnumerable<IReadOnlyList<string>> referencesPerMessage, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await threads.KnownAmongAsync(scope.ServiceProvider.GetRequiredService<MailroomDb>(), referencesPerMessage, cancellationToken);
    }

    /// <summary>
    /// Whether this message is already in Mailroom: stored from this account before (a copy under
    /// another UIDVALIDITY), or its own id is one a task's thread is known by (an imported reply,
    /// or a copy of an email sent from the task).
    /// </summary>
    public async Task<bool> AlreadyHaveAsync(Guid accountId, string? messageId, CancellationToken cancellationToken)
    {
        if (ThreadResolver.Normalize(messageId) is not { } id)
        {
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        return await db.InboundMessages.AnyAsync(m => m.AccountId == accountId && m.MessageIdHeader == id, cancellationToken)
            || await threads.IsKnownAsync(db, [id], cancellationToken);
    }

    /// <summary>Stores one fetched message; false when this UID of this account was stored before (nothing is stored twice).</summary>
    public async Task<bool> StoreAsync(FetchedReply reply, Stream raw, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        if (await StoredAsync(db, reply, cancellationToken))
        {
            return false;
        }
        using var buffer = new MemoryStream();
        await raw.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var inline = bytes.Length <= inbound.Value.InlineRawLimit;
        // A large message's file is synced before its row commits, as the listener does.
        var hash = inline ? "" : await blobs.PutAsync(bytes, flush: true, cancellationToken);
        var row = new InboundMessage
        {
            BlobHash = hash,
            Raw = inline ? bytes.ToArray() : null,
            Size = bytes.Length,
            ReceivedAt = reply.ReceivedAt,
            MailFrom = Cap(reply.From ?? "", 512),
            Recipients = reply.AccountEmail,
            RemoteAddress = null,
            AccountId = reply.AccountId,
            ImapUidValidity = reply.UidValidity,
            ImapUid = reply.Uid,
            // Set now, not only once read, so that a re-seed finds a reply still waiting to be processed.
            MessageIdHeader = ThreadResolver.Normalize(reply.MessageId),
        };
        db.InboundMessages.Add(row);
        try
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await StoredAsync(db, reply, CancellationToken.None))
            {
                // The unique (account, UIDVALIDITY, UID) index: another watcher stored it first.
                return false;
            }
            throw;
        }
        signal.Notify();
        return true;
    }

    private static Task<bool> StoredAsync(MailroomDb db, FetchedReply reply, CancellationToken cancellationToken) =>
        db.InboundMessages.AsNoTracking().AnyAsync(m => m.AccountId == reply.AccountId && m.ImapUidValidity == reply.UidValidity && m.ImapUid == reply.Uid, cancellationToken);

    private static string Cap(string value, int max) => value.Length <= max ? value : value[..max];
}

