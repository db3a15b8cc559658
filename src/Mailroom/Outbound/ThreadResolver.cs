using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Outbound;

/// <summary>The task (and comment) an email answers, found from the ids it names.</summary>
public sealed record ThreadMatch(Guid TaskId, Guid? CommentId, Guid? OutboundEmailId, string MessageId);

/// <summary>
/// The one resolver of email threads (DESIGN.md): both ways in (SMTP intake and the IMAP watchers)
/// and the outbox ask it, and only it writes <see cref="MailThreadId"/> rows.
/// </summary>
public sealed class ThreadResolver
{
    /// <summary>More ids than any real thread names: a hostile References header costs one bounded query.</summary>
    public const int MaxReferences = 100;

    /// <summary>
    /// The thread a message answers: of the ids in <paramref name="references"/> (References then
    /// In-Reply-To, as <c>ReadMessage.References</c> lists them), the last one known wins, since
    /// In-Reply-To names the email answered. Null when none is known.
    /// </summary>
    public async Task<ThreadMatch?> ResolveAsync(MailroomDb db, IReadOnlyList<string> references, CancellationToken cancellationToken)
    {
        var ids = Bounded(references);
        if (ids.Count == 0)
        {
            return null;
        }
        var rows = db.MailThreadIds.Local.Where(t => ids.Contains(t.MessageId)).ToList();
        rows.AddRange(await db.MailThreadIds.AsNoTracking().Where(t => ids.Contains(t.MessageId)).ToListAsync(cancellationToken));
        return rows
            .OrderByDescending(t => ids.LastIndexOf(t.MessageId))
            .ThenBy(t => t.CreatedAt)
            .Select(t => new ThreadMatch(t.TaskId, t.CommentId, t.OutboundEmailId, t.MessageId))
            .FirstOrDefault();
    }

    /// <summary>Whether any of the ids is known: the IMAP watcher's test before it fetches a whole message.</summary>
    public async Task<bool> IsKnownAsync(MailroomDb db, IReadOnlyList<string> references, CancellationToken cancellationToken)
    {
        var ids = Bounded(references);
        return ids.Count > 0 && await db.MailThreadIds.AnyAsync(t => ids.Contains(t.MessageId), cancellationToken);
    }

    /// <summary>
    /// Of the ids several messages name, those a task's thread is known by: the IMAP watcher's test
    /// for a whole fetched batch of headers at once (one query per 500 ids, not one per message).
    /// Each message's ids are bounded as in <see cref="IsKnownAsync"/>; ask <see cref="AnyKnown"/> per message.
    /// </summary>
    public async Task<IReadOnlySet<string>> KnownAmongAsync(MailroomDb db, IEnumerable<IReadOnlyList<string>> referencesPerMessage, CancellationToken cancellationToken)
    {
        var ids = referencesPerMessage.SelectMany(Bounded).Distinct(StringComparer.Ordinal).ToList();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(500))
        {
            var some = chunk.ToList();
            known.UnionWith(await db.MailThreadIds.AsNoTracking().Where(t => some.Contains(t.MessageId)).Select(t => t.MessageId).Distinct().ToListAsync(cancellationToken));
        }
        return known;
    }

    /// <summary>Whether one message's ids name a known thread, given what <see cref="KnownAmongAsync"/> found for its batch.</summary>
    public static bool AnyKnown(IReadOnlyList<string> references, IReadOnlySet<string> known) => Bounded(references).Exists(known.Contains);

    /// <summary>Adds an id of the task's thread to the context (the caller saves, in its own transaction); once per id and task.</summary>
    public async Task RememberAsync(MailroomDb db, string messageId, Guid taskId, Guid? commentId, Guid? outboundEmailId, ThreadIdSource source, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var id = Normalize(messageId);
        if (id is null
            || db.MailThreadIds.Local.Any(t => t.MessageId == id && t.TaskId == taskId)
            || await db.MailThreadIds.AnyAsync(t => t.MessageId == id && t.TaskId == taskId, cancellationToken))
        {
            return;
        }
        db.MailThreadIds.Add(new MailThreadId
        {
            MessageId = id,
            TaskId = taskId,
            CommentId = commentId,
            OutboundEmailId = outboundEmailId,
            Source = source,
            CreatedAt = at,
        });
    }

    /// <summary>An id as stored: no angle brackets, no surrounding space, at most 1,000 characters; null when empty.</summary>
    public static string? Normalize(string? messageId)
    {
        var id = messageId?.Trim().Trim('<', '>').Trim();
        return string.IsNullOrEmpty(id) || id.Length > 1000 ? null : id;
    }

    private static List<string> Bounded(IReadOnlyList<string> references) =>
        references.TakeLast(MaxReferences).Select(Normalize).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}
