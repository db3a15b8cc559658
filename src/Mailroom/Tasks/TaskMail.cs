using Mailroom.EmailApp;
using Mailroom.Inbound;
using Mailroom.Integrations;
using Mailroom.Notifications;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Tasks;

/// <summary>
/// Email into tasks (B20): a list's address makes a task per email, a task's address a comment
/// per email. Entities are only added to the context: the inbound processor saves them in the
/// same transaction as the message's status, so a crash means "again from the start", never twice.
/// </summary>
public sealed class TaskMail(EmailAppService emailApp, AddressMinter minter)
{
    public const string GuestRefusal = "Guests cannot use the Email app.";
    public const string DisabledRefusal = "The Email app is not enabled for this space; an owner or admin can turn it on in the workspace's app center.";

    /// <summary>
    /// Why <paramref name="sender"/> may not mail this list or task, or null when they may. Checked at
    /// RCPT time with the envelope sender (MAIL FROM) and again at processing time with the From
    /// header, since either may name a guest and settings may change in between (B1, B2).
    /// </summary>
    public async Task<string?> RefusalAsync(MailroomDb db, MailTarget target, string? sender, CancellationToken cancellationToken)
    {
        var settings = await emailApp.CurrentAsync(cancellationToken);
        if (target.SpaceId is not { } spaceId || !settings.IsEnabledFor(spaceId))
        {
            return DisabledRefusal;
        }
        if (!string.IsNullOrWhiteSpace(sender))
        {
            var normalized = sender.Trim().ToUpperInvariant();
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized && u.Role == WorkspaceRole.Guest, cancellationToken))
            {
                return GuestRefusal;
            }
        }
        return null;
    }

    /// <summary>What of an email becomes the comment (the reply text), and what is folded under it
    /// (quoted history, signature), as <see cref="ReplyExtractor"/> split them.</summary>
    private static (string Visible, string Quoted) ReplyText(ReadMessage read) => (read.Visible, read.Quoted);

    /// <summary>Makes the task or comment, unless this email already made one there. Returns whether it
    /// made something, and a sentence for the inbound log.</summary>
    public async Task<(bool Created, string Outcome)> DeliverAsync(
        MailroomDb db, InboundMessage message, ReadMessage read, MailTarget target,
        IReadOnlyList<(ReadAttachment Attachment, string Hash)> files, IReadOnlyList<string> notes, bool senderVerified, CancellationToken cancellationToken)
    {
        var senderEmail = Cap(read.FromAddress ?? (message.MailFrom.Length > 0 ? message.MailFrom : null), 320);
        // Only a proven From is a member's: an unproven one is shown as an address, marked unverified,
        // with no name (it may be the name of the member it impersonates), no follower and no rights.
        var senderName = senderVerified ? Cap(read.FromName, 320) : null;
        var member = senderEmail is null || !senderVerified ? null : await MemberAsync(db, senderEmail, cancellationToken);
        var emailMessageId = Cap(read.MessageId, 1000);
        var note = notes.Count > 0 ? string.Join('\n', notes) : null;
        return target.Kind == MailTargetKind.List
            ? await NewTaskAsync(db, message, read, target.Id, senderEmail, senderName, member, senderVerified, emailMessageId, files, note, cancellationToken)
            : Drop(await NewCommentAsync(db, message, read, target.Id, null, senderEmail, senderName, member, senderVerified, emailMessageId, files, note, cancellationToken));
    }

    private static (bool, string) Drop((Guid? CommentId, string Outcome) made) => (made.CommentId is not null, made.Outcome);

    /// <summary>
    /// A reply to an email sent from the task, fetched from a connected mailbox: a comment, threaded
    /// under the comment that shows the answered email (or a new comment, per the workspace's reply
    /// mode), unless this email is already on the task. Its followers, and the member who sent the
    /// email answered, are told. Returns the comment made (null when none) and a sentence for the inbound log.
    /// </summary>
    public async Task<(Guid? CommentId, string Outcome)> ReplyAsync(
        MailroomDb db, InboundMessage message, ReadMessage read, Guid taskId, Guid? answeredCommentId,
        IReadOnlyList<(ReadAttachment Attachment, string Hash)> files, IReadOnlyList<string> notes, bool senderVerified, CancellationToken cancellationToken)
    {
        var senderEmail = Cap(read.FromAddress ?? (message.MailFrom.Length > 0 ? message.MailFrom : null), 320);
        var senderName = senderVerified ? Cap(read.FromName, 320) : null;
        var member = senderEmail is null || !senderVerified ? null : await MemberAsync(db, senderEmail, cancellationToken);
        var note = notes.Count > 0 ? string.Join('\n', notes) : null;
        return await NewCommentAsync(db, message, read, taskId, answeredCommentId, senderEmail, senderName, member, senderVerified, Cap(read.MessageId, 1000), files, note, cancellationToken);
    }

    private async Task<(bool, string)> NewTaskAsync(
        MailroomDb db, InboundMessage message, ReadMessage read, Guid listId, string? senderEmail, string? senderName, User? member, bool senderVerified,
        string? emailMessageId, IReadOnlyList<(ReadAttachment Attachment, string Hash)> files, string? note, CancellationToken cancellationToken)
    {
        var list = await db.TaskLists.AsNoTracking().FirstAsync(l => l.Id == listId, cancellationToken);
        bool Same(WorkTask t) => t.ListId == listId && (t.InboundMessageId == message.Id || (emailMessageId != null && t.EmailMessageId == emailMessageId));
        var existing = db.Tasks.Local.FirstOrDefault(Same)
            ?? await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.ListId == listId && (t.InboundMessageId == message.Id || (emailMessageId != null && t.EmailMessageId == emailMessageId)), cancellationToken);
        if (existing is not null)
        {
            return (false, $"Not made into a task: this email (same Message-ID) already made the task \"{existing.Name}\" in the list {list.Name}.");
        }
        var name = string.IsNullOrWhiteSpace(read.Subject) ? "(no subject)" : Cap(read.Subject.Trim(), 1000)!;
        var task = new WorkTask
        {
            ListId = listId,
            Name = name,
            Description = read.Text,
            Status = list.OpenStatus,
            CreatedByUserId = member?.Id,
            FromEmail = true,
            CreatorEmail = senderEmail,
            CreatorName = senderName,
            SenderUnverified = !senderVerified,
            Notes = note,
            LocalPart = await minter.NewLocalPartAsync(name, cancellationToken),
            InboundMessageId = message.Id,
            EmailMessageId = emailMessageId,
            CreatedAt = message.ReceivedAt,
            UpdatedAt = message.ReceivedAt,
        };
        if (member is not null)
        {
            task.Followers.Add(new TaskFollower { TaskId = task.Id, UserId = member.Id });
        }
        db.Tasks.Add(task);
        TaskService.Record(db, task.Id, ActivityKind.Created, member?.Id, "created this task by email", senderEmail, at: message.ReceivedAt);
        AddFiles(db, task.Id, null, files, member?.Id, senderEmail, message.ReceivedAt);
        return (true, $"Made the task \"{name}\" in the list {list.Name} with {files.Count} attachment(s).");
    }

    /// <summary>
    /// The comment an email makes on a task. <paramref name="answeredCommentId"/>, when known (the
    /// thread resolver found the email it answers), is the comment it replies to; otherwise its
    /// References are matched against the task's comments.
    /// </summary>
    private async Task<(Guid? CommentId, string Outcome)> NewCommentAsync(
        MailroomDb db, InboundMessage message, ReadMessage read, Guid taskId, Guid? answeredCommentId, string? senderEmail, string? senderName, User? member, bool senderVerified,
        string? emailMessageId, IReadOnlyList<(ReadAttachment Attachment, string Hash)> files, string? note, CancellationToken cancellationToken)
    {
        var task = await db.Tasks.FirstAsync(t => t.Id == taskId, cancellationToken);
        bool Same(Comment c) => c.TaskId == taskId && (c.InboundMessageId == message.Id || (emailMessageId != null && c.EmailMessageId == emailMessageId));
        var duplicate = db.Comments.Local.Any(Same)
            || await db.Comments.AnyAsync(c => c.TaskId == taskId && (c.InboundMessageId == message.Id || (emailMessageId != null && c.EmailMessageId == emailMessageId)), cancellationToken);
        if (duplicate)
        {
            return (null, $"Not made into a comment: this email (same Message-ID) is already a comment on the task \"{task.Name}\".");
        }

        Guid? parentId = null;
        // The member who wrote the comment answered (for an email sent from the task, its sender): told of the reply.
        Guid? answeredAuthor = null;
        var settings = await emailApp.CurrentAsync(cancellationToken);
        if (answeredCommentId is { } answeredId && await AnsweredAsync(db, taskId, answeredId, cancellationToken) is { } known)
        {
            // The comment that shows an email sent from the task is authored by the outbox email's author.
            answeredAuthor = known.AuthorUserId;
            parentId = settings.ReplyMode == ReplyMode.Threaded ? known.ParentCommentId ?? known.Id : null;
        }
        else if (settings.ReplyMode == ReplyMode.Threaded && read.References.Count > 0)
        {
            // B14: the headers say what a reply answers, whatever its subject became. The latest
            // reference that is a comment of this task wins (In-Reply-To comes last).
            var references = read.References.Select(r => Cap(r, 1000)).ToList();
            var answered = db.Comments.Local.Where(c => c.TaskId == taskId && references.Contains(c.EmailMessageId))
                .Select(c => new { c.Id, c.ParentCommentId, c.EmailMessageId })
                .Concat(await db.Comments.AsNoTracking().Where(c => c.TaskId == taskId && c.EmailMessageId != null && references.Contains(c.EmailMessageId))
                    .Select(c => new { c.Id, c.ParentCommentId, c.EmailMessageId }).ToListAsync(cancellationToken))
                .OrderByDescending(c => references.LastIndexOf(c.EmailMessageId))
                .FirstOrDefault();
            parentId = answered is null ? null : answered.ParentCommentId ?? answered.Id;
        }

        var (visible, quoted) = ReplyText(read);
        var comment = new Comment
        {
            TaskId = taskId,
            ParentCommentId = parentId,
            Body = visible,
            Quoted = quoted,
            AuthorUserId = member?.Id,
            FromEmail = true,
            AuthorEmail = senderEmail,
            AuthorName = senderName,
            SenderUnverified = !senderVerified,
            Notes = note,
            InboundMessageId = message.Id,
            EmailMessageId = emailMessageId,
            CreatedAt = message.ReceivedAt,
        };
        db.Comments.Add(comment);
        TaskService.Record(db, taskId, parentId is null ? ActivityKind.Email : ActivityKind.Reply, member?.Id,
            parentId is null ? "commented by email" : "replied by email", senderEmail, comment.Id, message.ReceivedAt);
        AddFiles(db, taskId, comment.Id, files, member?.Id, senderEmail, message.ReceivedAt);
        task.UpdatedAt = message.ReceivedAt > task.UpdatedAt ? message.ReceivedAt : task.UpdatedAt;
        await NotificationService.NotifyAsync(db, taskId, comment.Id, member?.Id, answeredAuthor is { } also ? [also] : [],
            $"{member?.DisplayName ?? senderName ?? senderEmail ?? "Someone"}{(senderVerified ? "" : " (unverified)")} {(parentId is null ? "commented" : "replied")} by email on \"{task.Name}\"", message.ReceivedAt, cancellationToken);
        return (comment.Id, parentId is null
            ? $"Added a comment to the task \"{task.Name}\" with {files.Count} attachment(s)."
            : $"Added a threaded reply to the task \"{task.Name}\" with {files.Count} attachment(s).");
    }

    /// <summary>The comment an email answers, if it is on this task: its thread and its author.</summary>
    private static async Task<(Guid Id, Guid? ParentCommentId, Guid? AuthorUserId)?> AnsweredAsync(MailroomDb db, Guid taskId, Guid commentId, CancellationToken cancellationToken)
    {
        if (db.Comments.Local.FirstOrDefault(c => c.Id == commentId && c.TaskId == taskId) is { } local)
        {
            return (local.Id, local.ParentCommentId, local.AuthorUserId);
        }
        var row = await db.Comments.AsNoTracking().Where(c => c.Id == commentId && c.TaskId == taskId)
            .Select(c => new { c.Id, c.ParentCommentId, c.AuthorUserId }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.Id, row.ParentCommentId, row.AuthorUserId);
    }

    private static void AddFiles(MailroomDb db, Guid taskId, Guid? commentId, IReadOnlyList<(ReadAttachment Attachment, string Hash)> files, Guid? actor, string? actorEmail, DateTimeOffset at)
    {
        foreach (var (attachment, hash) in files)
        {
            db.TaskAttachments.Add(new TaskAttachment
            {
                TaskId = taskId,
                CommentId = commentId,
                FileName = Cap(attachment.FileName, 500)!,
                ContentType = Cap(attachment.ContentType, 200)!,
                Size = attachment.Size,
                BlobHash = hash,
                CreatedAt = at,
            });
        }
        if (files.Count > 0)
        {
            TaskService.Record(db, taskId, ActivityKind.Attachment, actor,
                $"attached {string.Join(", ", files.Select(f => f.Attachment.FileName))}", actorEmail, at: at);
        }
    }

    /// <summary>
    /// The member (not guest) whose account uses this address, if any: the task or comment is
    /// theirs. A deactivated member writes as an outside sender would, under their address.
    /// </summary>
    private static async Task<User?> MemberAsync(MailroomDb db, string email, CancellationToken cancellationToken)
    {
        var normalized = email.Trim().ToUpperInvariant();
        var member = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized && u.Role != WorkspaceRole.Guest, cancellationToken);
        return member is { IsDeactivated: false } ? member : null;
    }

    private static string? Cap(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
