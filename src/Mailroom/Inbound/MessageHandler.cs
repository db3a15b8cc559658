using Mailroom.Inbound.Verification;
using Mailroom.Integrations;
using Mailroom.Outbound;
using Mailroom.Posts;
using Mailroom.Storage;
using Mailroom.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mailroom.Inbound;

/// <summary>
/// What becomes of one stored message: read it, decide, and add its posts, tasks or comments to the context.
/// The caller saves, in one transaction with the message's new status.
/// </summary>
public sealed partial class MessageHandler(
    BlobStore blobs, RecipientResolver resolver, TaskMail taskMail, ThreadResolver threads, Outbound.OutboxService outbox, ISenderVerifier verifier, IOptions<InboundOptions> options, ILogger<MessageHandler> logger)
{
    public async Task HandleAsync(MailroomDb db, InboundMessage message, CancellationToken cancellationToken)
    {
        Stream raw;
        if (message.Raw is { } inline)
        {
            // From now on the blob store keeps the original; synced before this outcome commits.
            raw = new MemoryStream(inline, writable: false);
            message.BlobHash = await blobs.PutAsync(inline, flush: false, cancellationToken);
            message.Raw = null;
        }
        else
        {
            // Parsed from the file in MimeKit's persistent mode: a 40 MB email costs its headers
            // and its capped text in memory, and its attachments are copied file to file.
            raw = blobs.OpenRead(message.BlobHash);
        }
        await using (raw)
        {
            await HandleAsync(db, message, raw, cancellationToken);
        }
    }

    private async Task HandleAsync(MailroomDb db, InboundMessage message, Stream raw, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var read = new MessageReader(o.MaxAttachmentSize, limits: ReadLimits.From(o)).Read(raw, cancellationToken);
        message.Kind = read.Kind;
        message.FromAddress = Cap(read.FromAddress, 512);
        message.Subject = Cap(read.Subject, 1000);
        message.MessageIdHeader = Cap(read.MessageId, 1000);
        message.ProcessedAt = DateTimeOffset.UtcNow;
        message.LeaseUntil = null;

        switch (read.Kind)
        {
            case "malformed":
                Finish(message, InboundStatus.Malformed, $"Not posted: the message could not be read ({read.Reason}). The original is kept.");
                LogMalformed(message.Id, read.Reason);
                return;
            case "auto-reply":
            case "bounce":
                Finish(message, InboundStatus.Ignored, $"Not posted: {read.Kind} ({read.Reason}).");
                return;
        }
        if (message.AccountId is not null)
        {
            // Fetched over IMAP from a connected mailbox: the other way in, same reading above.
            await HandleReplyAsync(db, message, read, cancellationToken);
            return;
        }
        if (message.MailFrom.Length == 0)
        {
            // RFC 5321 §4.5.5: the null reverse-path is for automatic mail only (bounces, auto-replies,
            // receipts), however ordinary its headers look; posting it would also answer into a loop.
            message.Kind = "auto-reply";
            Finish(message, InboundStatus.Ignored, $"Not posted: auto-reply ({NullSenderReason}).");
            return;
        }

        var verdict = await VerifyAsync(read, message, cancellationToken);
        message.FromAuthenticated = verdict.FromAuthenticated;
        message.Authentication = Cap(verdict.Summary, 1000);
        var verified = verdict.FromAuthenticated;

        var targets = new List<MailTarget>();
        foreach (var recipient in message.Recipients.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (await resolver.ResolveAsync(recipient, cancellationToken) is { } target && !targets.Any(t => t.Kind == target.Kind && t.Id == target.Id))
            {
                targets.Add(target);
            }
        }
        if (read.FromAddress is { } from && await resolver.ResolveAsync(from, cancellationToken) is not null)
        {
            Finish(message, InboundStatus.Ignored, "Not posted: it comes from one of this workspace's own addresses (mail loop).");
            return;
        }
        var integrations = targets.Where(t => t.Integration is not null).Select(t => t.Integration!).ToList();
        var active = integrations.Where(i => i.RemovedAt is null).ToList();

        // Lists and tasks: the Email app's rules again, now with the From header (B1, B2).
        var taskTargets = new List<MailTarget>();
        var outcomes = new List<string>();
        foreach (var target in targets.Where(t => t.Kind is MailTargetKind.List or MailTargetKind.Task))
        {
            // An unproven From names nobody: a guest's rule (and a member's rights) follow only a proven one.
            if (await taskMail.RefusalAsync(db, target, verified ? read.FromAddress : null, cancellationToken) is { } refusal)
            {
                outcomes.Add($"Not made into a {(target.Kind == MailTargetKind.List ? "task" : "comment")}: {refusal}");
            }
            else
            {
                taskTargets.Add(target);
            }
        }
        if (active.Count == 0 && taskTargets.Count == 0)
        {
            Finish(message, InboundStatus.Ignored, outcomes.Count > 0
                ? string.Join(" ", outcomes.Distinct())
                : targets.Count == 0 ? "Not posted: its address was removed or reset after the message was accepted."
                : "Not posted: its integration was removed after the message was accepted.");
            return;
        }

        // Existing posts mean an earlier attempt committed them: never post twice. The same
        // Message-ID already posted through an integration is a sender's retransmission (e.g. a
        // 250 lost on the way back), not a new email.
        var done = message.Attempts <= 1 ? []
            : await db.Posts.Where(p => p.InboundMessageId == message.Id).Select(p => p.IntegrationId).ToListAsync(cancellationToken);
        if (message.MessageIdHeader is { Length: > 0 } messageId)
        {
            // From the Message-ID's index first (almost always no other message): a join that
            // starts from the integration's posts grows with every email it ever received.
            var sameMessageId = await db.InboundMessages.AsNoTracking()
                .Where(m => m.MessageIdHeader == messageId && m.Id != message.Id).Select(m => (Guid?)m.Id).ToListAsync(cancellationToken);
            var activeIds = active.Select(i => (Guid?)i.Id).ToList();
            var duplicates = sameMessageId.Count == 0 ? []
                : await db.Posts.Where(p => sameMessageId.Contains(p.InboundMessageId) && activeIds.Contains(p.IntegrationId))
                    .Select(p => p.IntegrationId).ToListAsync(cancellationToken);
            done.AddRange(duplicates);
            if (active.All(i => done.Contains(i.Id)) && duplicates.Count > 0)
            {
                Finish(message, InboundStatus.Ignored, $"Not posted again: an email with the same Message-ID ({Cap(messageId, 200)}) was already posted.");
                return;
            }
        }

        var (kept, notes, attachmentNotes) = await KeepAttachmentsAsync(read, cancellationToken);

        var posted = 0;
        foreach (var integration in active.Where(i => !done.Contains(i.Id)))
        {
            var post = new Post
            {
                GroupId = integration.GroupId,
                IntegrationId = integration.Id,
                InboundMessageId = message.Id,
                EmailMessageId = message.MessageIdHeader is { Length: > 0 } ? message.MessageIdHeader : null,
                Source = PostSource.Email,
                Title = string.IsNullOrWhiteSpace(read.Subject) ? "(no subject)" : Cap(read.Subject.Trim(), 1000)!,
                Body = read.Text,
                BodyHtml = read.SanitizedHtml,
                AuthorEmail = Cap(read.FromAddress ?? (message.MailFrom.Length > 0 ? message.MailFrom : null), 320),
                AuthorName = verified ? Cap(read.FromName, 320) : null,
                SenderUnverified = !verified,
                Notes = notes.Count > 0 ? string.Join('\n', notes) : null,
                CreatedAt = message.ReceivedAt,
            };
            var inlineImages = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
            foreach (var (attachment, hash) in kept)
            {
                var saved = new PostAttachment
                {
                    FileName = Cap(attachment.FileName, 500)!,
                    ContentType = Cap(attachment.ContentType, 200)!,
                    Size = attachment.Size,
                    BlobHash = hash,
                };
                post.Attachments.Add(saved);
                if (attachment.ContentId is { } contentId)
                {
                    inlineImages.TryAdd(contentId.Trim('<', '>'), saved.Id);
                }
            }
            post.BodyHtml = InlineImages.Link(post.BodyHtml, post.Id, inlineImages);
            db.Posts.Add(post);
            posted++;
        }
        var leftOut = attachmentNotes.Count > 0 ? $" {attachmentNotes.Count} attachment(s) left out." : "";
        if (active.Count > 0)
        {
            outcomes.Insert(0, $"Posted to {active.Count} group(s) with {kept.Count} attachment(s).{leftOut}");
        }
        var made = 0;
        foreach (var target in taskTargets)
        {
            var (created, outcome) = await taskMail.DeliverAsync(db, message, read, target, kept, notes, verified, cancellationToken);
            made += created ? 1 : 0;
            outcomes.Add(outcome);
        }
        if (taskTargets.Count > 0 && attachmentNotes.Count > 0)
        {
            outcomes.Add($"{attachmentNotes.Count} attachment(s) left out.");
        }
        if (read.Notes.Count > 0)
        {
            outcomes.Add(string.Join(" ", read.Notes));
        }
        // Redelivered to a task or list only (same Message-ID): nothing new was made, so it is ignored.
        Finish(message, active.Count > 0 || made > 0 ? InboundStatus.Posted : InboundStatus.Ignored, string.Join(" ", outcomes));
        LogPosted(message.Id, posted + made);
    }

    /// <summary>
    /// A reply fetched from a connected mailbox (issue 11, item 8): it becomes a comment on the task
    /// whose thread its In-Reply-To or References names, or nothing. The watcher only stored it;
    /// what it is, is decided here, as for mail the listener received.
    /// </summary>
    private async Task HandleReplyAsync(MailroomDb db, InboundMessage message, ReadMessage read, CancellationToken cancellationToken)
    {
        // The headers are all there is to verify: no SMTP session, so DKIM (and DMARC on it) only.
        var verdict = read.Mime is { } parsed
            ? await verifier.VerifyAsync(parsed, new SenderEnvelope(null, "", null), cancellationToken)
            : new SenderVerdict("none", [], "none", null, "none", null, null, null, false, SenderVerdict.Checks, "not verified: the message could not be read");
        message.FromAuthenticated = verdict.FromAuthenticated;
        message.Authentication = Cap(verdict.Summary, 1000);
        var match = await threads.ResolveAsync(db, read.References, cancellationToken);
        if (match is null)
        {
            Finish(message, InboundStatus.Ignored, "Not imported: its In-Reply-To and References name no email of a task's thread.");
            return;
        }
        var (kept, notes, attachmentNotes) = await KeepAttachmentsAsync(read, cancellationToken);
        var (commentId, outcome) = await taskMail.ReplyAsync(db, message, read, match.TaskId, match.CommentId, kept, notes, verdict.FromAuthenticated, cancellationToken);
        if (commentId is { } id)
        {
            // Later replies to this reply find the task too.
            if (read.MessageId is { } replyId)
            {
                await threads.RememberAsync(db, replyId, match.TaskId, id, null, ThreadIdSource.Received, message.ReceivedAt, cancellationToken);
            }
            // A scheduled email of the thread this answers, not yet gone, is held and its author told (issue 11, item 12).
            await outbox.HoldScheduledInThreadAsync(db, match.TaskId, match.CommentId, message.ReceivedAt, cancellationToken);
        }
        if (attachmentNotes.Count > 0)
        {
            outcome += $" {attachmentNotes.Count} attachment(s) left out.";
        }
        Finish(message, commentId is null ? InboundStatus.Ignored : InboundStatus.Posted, outcome);
        LogPosted(message.Id, commentId is null ? 0 : 1);
    }

    /// <summary>The attachments kept, each streamed into the blob store, and the notes on those left out.</summary>
    private async Task<(List<(ReadAttachment Attachment, string Hash)> Kept, List<string> Notes, List<string> AttachmentNotes)> KeepAttachmentsAsync(ReadMessage read, CancellationToken cancellationToken)
    {
        var kept = new List<(ReadAttachment Attachment, string Hash)>();
        foreach (var attachment in read.Attachments.Where(a => a.Kept && a.Open is not null))
        {
            // One at a time, streamed: never every attachment of a large email in memory at once.
            await using var content = attachment.Open!();
            kept.Add((attachment, await blobs.PutAsync(content, flush: false, cancellationToken)));
        }
        var attachmentNotes = read.Attachments.Where(a => !a.Kept)
            .Select(a => $"The attachment \"{a.FileName}\" was left out: {a.LeftOutReason}.")
            .ToList();
        var notes = read.Notes.Concat(attachmentNotes.Take(MaxAttachmentNotes)).ToList();
        if (attachmentNotes.Count > MaxAttachmentNotes)
        {
            notes.Add($"{attachmentNotes.Count - MaxAttachmentNotes:N0} more attachments were left out.");
        }
        return (kept, notes, attachmentNotes);
    }

    /// <summary>Why a message with a null envelope sender is never posted (inbound log, inspect).</summary>
    public const string NullSenderReason = "null envelope sender MAIL FROM:<>, reserved for automatic mail by RFC 5321 §4.5.5";

    /// <summary>Attachments named one by one in a post's notes; a mail of ten thousand parts gets a count for the rest.</summary>
    private const int MaxAttachmentNotes = 20;

    /// <summary>Verifies the message the reader parsed (its parts still read from the open raw stream), not a second parse.</summary>
    private async Task<SenderVerdict> VerifyAsync(ReadMessage read, InboundMessage message, CancellationToken cancellationToken) =>
        read.Mime is { } parsed
            ? await verifier.VerifyAsync(parsed, SenderEnvelope.Of(message), cancellationToken)
            : new SenderVerdict("none", [], "none", null, "none", null, null, null, false, SenderVerdict.Checks, "not verified: the message could not be read");

    private static void Finish(InboundMessage message, InboundStatus status, string outcome)
    {
        message.Status = status;
        message.Outcome = outcome;
    }

    private static string? Cap(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Message {MessageId} is malformed and was kept unposted: {Reason}")]
    private partial void LogMalformed(Guid messageId, string reason);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Debug, Message = "Message {MessageId} became {Count} post(s), task(s) or comment(s)")]
    private partial void LogPosted(Guid messageId, int count);
}
