using Mailroom.Notifications;
using Mailroom.Storage;
using Mailroom.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Outbound;

/// <summary>
/// What an outbox email shows in its task: the comment that is the email (so replies thread under
/// it), its activity lines, and the author's notifications. Entities are only added to the
/// context; the caller saves them with the outbox row's change, in one transaction.
/// </summary>
public sealed class OutboxActivity(ThreadResolver threads)
{
    /// <summary>The email as a comment of the task, with its files and the "emailed" line; its Message-ID joins the thread's ids.</summary>
    public async Task ShowAsync(MailroomDb db, OutboundEmail email, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var comment = new Comment
        {
            TaskId = email.TaskId,
            ParentCommentId = email.ThreadCommentId,
            Body = email.BodyText,
            AuthorUserId = email.AuthorUserId,
            FromEmail = true,
            AuthorEmail = email.FromAddress,
            AuthorName = email.FromName,
            EmailMessageId = email.MessageId,
            OutboundEmailId = email.Id,
            CreatedAt = at,
        };
        db.Comments.Add(comment);
        email.CommentId = comment.Id;
        foreach (var file in email.Attachments)
        {
            db.TaskAttachments.Add(new TaskAttachment
            {
                TaskId = email.TaskId, CommentId = comment.Id, FileName = file.FileName, ContentType = file.ContentType,
                Size = file.Size, BlobHash = file.BlobHash, CreatedAt = at,
            });
        }
        TaskService.Record(db, email.TaskId, ActivityKind.Email, email.AuthorUserId,
            $"emailed {Recipients(email)}: \"{email.Subject}\"", email.FromAddress, comment.Id, at);
        await threads.RememberAsync(db, email.MessageId, email.TaskId, comment.Id, email.Id, ThreadIdSource.Generated, at, cancellationToken);
        if (await db.Tasks.FirstOrDefaultAsync(t => t.Id == email.TaskId, cancellationToken) is { } task && task.UpdatedAt < at)
        {
            task.UpdatedAt = at;
        }
    }

    public static void Sent(MailroomDb db, OutboundEmail email, DateTimeOffset at) =>
        TaskService.Record(db, email.TaskId, ActivityKind.EmailSent, email.AuthorUserId,
            $"sent the email \"{email.Subject}\" to {Recipients(email)}", email.FromAddress, email.CommentId, at);

    /// <summary>The final failure: a line all who see the task read, and a notification to the author.</summary>
    public static void Failed(MailroomDb db, OutboundEmail email, DateTimeOffset at)
    {
        TaskService.Record(db, email.TaskId, ActivityKind.EmailFailed, email.AuthorUserId,
            $"the email \"{email.Subject}\" to {Recipients(email)} could not be sent: {email.FailureCode} {email.FailureReason}", email.FromAddress, email.CommentId, at);
        Notify(db, email, $"Your email \"{email.Subject}\" could not be sent: {email.FailureCode} {email.FailureReason}", email.CommentId, at);
    }

    /// <summary>A held email is still the author's alone (it never left): only they are told.</summary>
    public static void Held(MailroomDb db, OutboundEmail email, Guid? replyCommentId, DateTimeOffset at) =>
        Notify(db, email, $"Your scheduled email \"{email.Subject}\" was held: its thread got a reply before it left. Edit its time to send it anyway, or cancel it.", replyCommentId, at);

    /// <summary>Held because the plan's email uses are all sent: its author is told why and what to do.</summary>
    public static void HeldAtLimit(MailroomDb db, OutboundEmail email, DateTimeOffset at) =>
        Notify(db, email, $"Your scheduled email \"{email.Subject}\" was held, not sent: {email.FailureReason}", null, at);

    private static void Notify(MailroomDb db, OutboundEmail email, string text, Guid? commentId, DateTimeOffset at) =>
        db.Notifications.Add(new Notification
        {
            UserId = email.AuthorUserId, TaskId = email.TaskId, CommentId = commentId,
            Text = text.Length <= 1000 ? text : text[..1000], CreatedAt = at,
        });

    /// <summary>"Max Mustermann &lt;max@example.com&gt;": the stored form quotes names for the header, a sentence needs no quotes.</summary>
    private static string Readable(string mailbox) =>
        MimeKit.MailboxAddress.TryParse(mailbox, out var m) && !string.IsNullOrWhiteSpace(m.Name) ? $"{m.Name} <{m.Address}>" : mailbox;

    private static string Recipients(OutboundEmail email)
    {
        var all = email.To.Concat(email.Cc).Select(Readable).ToList();
        var text = all.Count == 0 ? "Bcc recipients" : string.Join(", ", all.Take(5)) + (all.Count > 5 ? $" and {all.Count - 5} more" : "");
        return text.Length <= 500 ? text : text[..500];
    }
}
