using System.Security.Cryptography;
using Mailroom.Storage;
using Mailroom.Tasks;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;

namespace Mailroom.Outbound;

/// <summary>Message-IDs for emails sent from a task, and the In-Reply-To/References of a reply.</summary>
public sealed class ThreadHeaders(BlobStore blobs)
{
    /// <summary>
    /// A Message-ID nobody can guess (so nobody can forge a reply into the task): 130 random bits,
    /// base32, at the domain of the address it is sent from (RFC 5322 3.6.4).
    /// </summary>
    public static string NewMessageId(string fromAddress)
    {
        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "mailroom.localhost";
        return $"{Base32.Random(26)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}@{domain}";
    }

    /// <summary>
    /// The headers of a reply to <paramref name="comment"/>: In-Reply-To is the comment's email,
    /// References that email's own References followed by it. For an email received into the task
    /// they are read from the stored message; for one sent from it, from its outbox row.
    /// </summary>
    public async Task<(string InReplyTo, List<string> References)> ForReplyAsync(MailroomDb db, Comment comment, CancellationToken cancellationToken)
    {
        var id = ThreadResolver.Normalize(comment.EmailMessageId)!;
        var chain = new List<string>();
        if (comment.OutboundEmailId is { } outboundId)
        {
            chain.AddRange(await db.OutboundEmails.AsNoTracking().Where(e => e.Id == outboundId).Select(e => e.References).FirstOrDefaultAsync(cancellationToken) ?? []);
        }
        else if (comment.InboundMessageId is { } inboundId
            && await db.InboundMessages.AsNoTracking().Where(m => m.Id == inboundId).Select(m => m.BlobHash).FirstOrDefaultAsync(cancellationToken) is { Length: 64 } hash
            && blobs.Exists(hash))
        {
            // Only the header block is read, however large the message.
            await using var stream = blobs.OpenRead(hash);
            var headers = await HeaderList.LoadAsync(stream, cancellationToken);
            var references = headers[HeaderId.References] is { } r ? MimeUtils.EnumerateReferences(r).ToList() : [];
            if (references.Count == 0 && headers[HeaderId.InReplyTo] is { } irt)
            {
                references.AddRange(MimeUtils.EnumerateReferences(irt));
            }
            chain.AddRange(references);
        }
        chain = chain.Select(ThreadResolver.Normalize).OfType<string>().Where(r => r != id).Distinct(StringComparer.Ordinal).ToList();
        chain.Add(id);
        return (id, Trim(chain));
    }

    /// <summary>At most <see cref="OutboxLimits.MaxReferences"/> ids: the first (the thread's start) and the latest.</summary>
    public static List<string> Trim(List<string> chain) =>
        chain.Count <= OutboxLimits.MaxReferences
            ? chain
            : [chain[0], .. chain.TakeLast(OutboxLimits.MaxReferences - 1)];
}
