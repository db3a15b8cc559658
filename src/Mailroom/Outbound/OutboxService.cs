using System.Globalization;
using System.Text;
using Mailroom.Accounts;
using Mailroom.Hosting;
using Mailroom.Inbound;
using Mailroom.People;
using Mailroom.Plans;
using Mailroom.Storage;
using Mailroom.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mailroom.Outbound;

/// <summary>
/// The outbox as members use it: queue an email from a task (now, or at a time), list a task's
/// emails, change or cancel a scheduled one. Everything is checked before anything is stored:
/// the addresses, the limits, who may send from the account and who may write on the task.
/// </summary>
public sealed class OutboxService(
    MailroomDb db, TaskService tasks, AccountService accounts, ThreadHeaders threadHeaders, OutboxActivity activity, OutboxSizeLimits sizeLimits,
    BlobStore blobs, OutboxSignal signal, EmailUses uses, PlanGates gates, TimeProvider clock, ILogger<OutboxService> logger)
{
    /// <summary>Stores the email; sent at once (its comment and activity line saved with it) or, with a future SendAt, when due.</summary>
    public async Task<OutboundEmailView> QueueAsync(User actor, Guid taskId, ComposeRequest request, CancellationToken ct)
    {
        var (task, _) = await tasks.FindAsync(actor, taskId, write: true, ct);
        await RequirePlanAllowsAsync(request, null, ct);
        var email = new OutboundEmail { TaskId = task.Id, AuthorUserId = actor.Id, FromAddress = "", MessageId = "", CreatedAt = clock.GetUtcNow() };
        await FillAsync(actor, email, request, keepAttachments: false, ct);
        email.MessageId = ThreadHeaders.NewMessageId(email.FromAddress);
        db.OutboundEmails.Add(email);
        await ScheduleOrShowAsync(email, ct);
        await db.SaveChangesAsync(ct);
        OutboundLog.Queued(logger, email.Id, actor.Id, task.Id, email.SendAt);
        signal.Notify();
        return await ViewAsync(actor, email, ct);
    }

    /// <summary>
    /// Where a reply by email to a comment of the task starts: to whoever wrote that email (or, for
    /// one sent from the task, to its recipients), "Re:" the thread's subject, from the account the
    /// thread left through. The threading headers are the outbox's to add when it is queued.
    /// </summary>
    public async Task<ReplyDraft> ReplyDraftAsync(User actor, Guid taskId, Guid commentId, CancellationToken ct)
    {
        await tasks.FindAsync(actor, taskId, write: true, ct);
        var comment = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commentId && c.TaskId == taskId, ct)
            ?? throw AppProblem.NotFound("The comment replied to");
        if (ThreadResolver.Normalize(comment.EmailMessageId) is null)
        {
            throw AppProblem.Invalid(OutboxProblems.ReplyNotEmail, "That comment was not an email, so there is no email to reply to. Send a new email instead.");
        }
        var thread = comment.ParentCommentId ?? comment.Id;
        var sent = await db.OutboundEmails.AsNoTracking()
            .Where(e => e.TaskId == taskId && e.Status == OutboundStatus.Sent && (e.CommentId == comment.Id || e.CommentId == thread || e.ThreadCommentId == thread))
            .OrderByDescending(e => e.CreatedAt).ToListAsync(ct);
        var own = sent.FirstOrDefault(e => e.CommentId == comment.Id);
        var to = own is not null
            ? string.Join(", ", own.To)
            : comment.AuthorEmail is { Length: > 0 } address ? new MailboxAddress(comment.AuthorName ?? "", address).ToString() : "";
        var subject = (own ?? sent.FirstOrDefault())?.Subject ?? "";
        if (subject.Length > 0 && !subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase))
        {
            subject = "Re: " + subject;
        }
        return new ReplyDraft(comment.Id, (own ?? sent.FirstOrDefault())?.AccountId, to, subject);
    }

    /// <summary>The task's emails, oldest first. A scheduled or held one (or one cancelled) only to its author.</summary>
    public async Task<IReadOnlyList<OutboundEmailView>> ListAsync(User actor, Guid taskId, CancellationToken ct)
    {
        await tasks.FindAsync(actor, taskId, write: false, ct);
        var rows = await db.OutboundEmails.AsNoTracking().Include(e => e.Attachments).Where(e => e.TaskId == taskId)
            .Where(e => e.AuthorUserId == actor.Id || (e.Status != OutboundStatus.Scheduled && e.Status != OutboundStatus.Held && e.Status != OutboundStatus.Cancelled))
            .ToListAsync(ct);
        return rows.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Select(e => View(actor, e)).ToList();
    }

    /// <summary>Rewrites a scheduled (or held) email. No attachments in the request keeps the ones it has; no SendAt (or one within <see cref="OutboxLimits.PastSendAtGrace"/> of now) sends it now; one further back is refused.</summary>
    public async Task<OutboundEmailView> UpdateScheduledAsync(User actor, Guid emailId, ComposeRequest request, CancellationToken ct)
    {
        var email = await EditableAsync(actor, emailId, ct);
        await RequirePlanAllowsAsync(request, email.Id, ct);
        await FillAsync(actor, email, request, keepAttachments: request.Attachments.Count == 0, ct);
        await ScheduleOrShowAsync(email, ct);
        await SaveEditAsync(ct);
        signal.Notify();
        return await ViewAsync(actor, email, ct);
    }

    public async Task CancelAsync(User actor, Guid emailId, CancellationToken ct)
    {
        var email = await EditableAsync(actor, emailId, ct);
        email.Status = OutboundStatus.Cancelled;
        email.LeaseOwner = null;
        email.LeaseUntil = null;
        await SaveEditAsync(ct);
    }

    /// <summary>
    /// A reply came into the thread at <paramref name="replyAt"/>: the scheduled emails of that
    /// thread (the thread of <paramref name="commentId"/>, or the task's own when null) written
    /// before it are held, and their authors told. Adds to <paramref name="context"/>; the caller
    /// saves with the reply. An email a worker claimed meanwhile makes that save fail on its
    /// concurrency token rather than be held while it leaves.
    /// </summary>
    public async Task HoldScheduledInThreadAsync(MailroomDb context, Guid taskId, Guid? commentId, DateTimeOffset replyAt, CancellationToken ct)
    {
        Guid? thread = null;
        if (commentId is { } id)
        {
            var comment = context.Comments.Local.FirstOrDefault(c => c.Id == id)
                ?? await context.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
            thread = comment is null ? id : comment.ParentCommentId ?? comment.Id;
        }
        var scheduled = await context.OutboundEmails
            .Where(e => e.TaskId == taskId && e.Status == OutboundStatus.Scheduled && e.ThreadCommentId == thread && e.CreatedAt < replyAt)
            .ToListAsync(ct);
        foreach (var email in scheduled)
        {
            email.Status = OutboundStatus.Held;
            email.FailureCode = OutboxProblems.Held;
            email.FailureReason = "Its thread got a reply before it left.";
            OutboxActivity.Held(context, email, commentId, clock.GetUtcNow());
            OutboundLog.Held(logger, email.Id);
        }
    }

    /// <summary>
    /// The plan's say, before anything is stored: a time to leave needs Scheduling; an email
    /// leaving now needs a use left (counting the ones already on their way).
    /// </summary>
    private async Task RequirePlanAllowsAsync(ComposeRequest request, Guid? emailId, CancellationToken ct)
    {
        if (request.SendAt is { } at && at > clock.GetUtcNow())
        {
            await gates.RequireAsync(PlanFeature.Scheduling, ct);
            return;
        }
        await uses.RequireMaySendNowAsync(emailId, ct);
    }

    /// <summary>Due now: the comment, its activity line and its thread id, saved with the row. Later: the row only, for its author.</summary>
    private async Task ScheduleOrShowAsync(OutboundEmail email, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        email.FailureCode = null;
        email.FailureReason = null;
        if (email.SendAt is { } at && at > now)
        {
            email.Status = OutboundStatus.Scheduled;
            email.NextAttemptAt = at;
            return;
        }
        email.SendAt = null;
        email.Status = OutboundStatus.Queued;
        email.NextAttemptAt = now;
        await activity.ShowAsync(db, email, now, ct);
    }

    private async Task<OutboundEmail> EditableAsync(User actor, Guid emailId, CancellationToken ct)
    {
        var email = await db.OutboundEmails.Include(e => e.Attachments).FirstOrDefaultAsync(e => e.Id == emailId, ct);
        if (email is null)
        {
            throw AppProblem.NotFound("The email");
        }
        await tasks.FindAsync(actor, email.TaskId, write: true, ct);
        if (email.AuthorUserId != actor.Id)
        {
            // Someone else's scheduled email is not theirs to see, let alone change.
            throw email.Status is OutboundStatus.Scheduled or OutboundStatus.Held or OutboundStatus.Cancelled
                ? AppProblem.NotFound("The email")
                : AppProblem.Forbidden("Only the author of an email may change or cancel it.");
        }
        if (email.Status is not (OutboundStatus.Scheduled or OutboundStatus.Held))
        {
            throw AppProblem.Conflict(OutboxProblems.NotScheduled, email.Status is OutboundStatus.Cancelled
                ? "This email was cancelled."
                : "This email is no longer scheduled: it is being sent or has left.");
        }
        return email;
    }

    private async Task SaveEditAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The worker claimed it between our read and our write: it is leaving now.
            throw AppProblem.Conflict(OutboxProblems.NotScheduled, "This email is no longer scheduled: it is being sent or has left.");
        }
    }

    /// <summary>Checks the request and writes it into <paramref name="email"/>: account, recipients, subject, body, attachments, time, thread.</summary>
    private async Task FillAsync(User actor, OutboundEmail email, ComposeRequest request, bool keepAttachments, CancellationToken ct)
    {
        var account = await accounts.AccountToSendFromAsync(actor, request.AccountId, ct);
        var to = Recipients(request.To);
        var cc = Recipients(request.Cc);
        var bcc = Recipients(request.Bcc);
        if (to.Count + cc.Count + bcc.Count == 0)
        {
            throw AppProblem.Invalid(OutboxProblems.NoRecipient, "Add at least one recipient in To, Cc or Bcc.");
        }
        if (to.Count + cc.Count + bcc.Count > OutboxLimits.MaxRecipients)
        {
            throw AppProblem.Invalid(OutboxProblems.TooManyRecipients, $"An email can have at most {OutboxLimits.MaxRecipients} recipients.");
        }
        var subject = (request.Subject ?? "").ReplaceLineEndings(" ").Trim();
        if (subject.Length > OutboxLimits.MaxSubjectLength)
        {
            throw AppProblem.Invalid(OutboxProblems.InvalidSubject, $"The subject is longer than {OutboxLimits.MaxSubjectLength} characters.");
        }
        var rawHtml = request.BodyHtml ?? "";
        if (rawHtml.Length > OutboxLimits.MaxBodyHtmlLength)
        {
            throw AppProblem.Invalid(OutboxProblems.BodyTooLong, $"The body is longer than {OutboxLimits.MaxBodyHtmlLength / 1024 / 1024} MB.");
        }
        var html = string.IsNullOrWhiteSpace(rawHtml) ? "" : MailHtmlSanitizer.Sanitize(rawHtml);
        var text = html.Length == 0 ? "" : HtmlText.ToPlainText(html, ct);
        var files = request.Attachments.Select(Attachment).ToList();
        if (files.Count > OutboxLimits.MaxAttachments)
        {
            throw AppProblem.Invalid(OutboxProblems.InvalidAttachment, $"An email can have at most {OutboxLimits.MaxAttachments} attachments.");
        }
        var attachmentSizes = keepAttachments ? email.Attachments.Select(a => a.Size).ToList() : files.Select(f => f.Size).ToList();
        if (subject.Length == 0 && text.Trim().Length == 0 && attachmentSizes.Count == 0)
        {
            throw AppProblem.Invalid(OutboxProblems.EmptyEmail, "Write a subject or a message, or attach a file.");
        }
        var now = clock.GetUtcNow();
        if (request.SendAt is { } sendAt && sendAt > now.AddYears(1))
        {
            throw AppProblem.Invalid(OutboxProblems.InvalidSendAt, "An email can be scheduled at most a year ahead.");
        }
        if (request.SendAt is { } past && past < now - OutboxLimits.PastSendAtGrace)
        {
            throw AppProblem.Invalid(OutboxProblems.InvalidSendAt, "That time has passed. Pick a time ahead, or leave the time empty to send it now.");
        }

        // Over the provider's or the server's limit, the email would be refused after it was
        // queued (or after the member left): refused now, with the limit named.
        var headerBytes = 1024 + Encoding.UTF8.GetByteCount(subject) * 2 + to.Concat(cc).Concat(bcc).Sum(a => Encoding.UTF8.GetByteCount(a) + 4);
        var size = OutboundMessageBuilder.EncodedSize(Encoding.UTF8.GetByteCount(text), Encoding.UTF8.GetByteCount(html), attachmentSizes, headerBytes);
        await sizeLimits.RequireWithinAsync(account, size, ct);

        Guid? replyTo = null, thread = null;
        string? inReplyTo = null;
        List<string> references = [];
        if (request.ReplyToCommentId is { } commentId)
        {
            var comment = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commentId && c.TaskId == email.TaskId, ct)
                ?? throw AppProblem.NotFound("The comment replied to");
            if (ThreadResolver.Normalize(comment.EmailMessageId) is null)
            {
                throw AppProblem.Invalid(OutboxProblems.ReplyNotEmail, "That comment was not an email, so there is no email to reply to. Send a new email instead.");
            }
            (inReplyTo, references) = await threadHeaders.ForReplyAsync(db, comment, ct);
            replyTo = comment.Id;
            thread = comment.ParentCommentId ?? comment.Id;
        }

        email.AccountId = account.Id;
        email.FromAddress = account.Email;
        email.FromName = account.SendAsName;
        email.To = to;
        email.Cc = cc;
        email.Bcc = bcc;
        email.Subject = subject;
        email.BodyHtml = html;
        email.BodyText = text;
        // Stored in UTC: PostgreSQL's timestamptz takes no other offset (an API caller may send +01:00).
        email.SendAt = request.SendAt?.ToUniversalTime();
        email.ReplyToCommentId = replyTo;
        email.ThreadCommentId = thread;
        email.InReplyTo = inReplyTo;
        email.References = references;
        if (!keepAttachments)
        {
            email.Attachments.Clear();
            foreach (var (file, name, type) in request.Attachments.Zip(files, (a, f) => (a, f.Name, f.Type)))
            {
                await using var content = file.Open();
                var hash = await blobs.PutAsync(content, flush: true, ct);
                email.Attachments.Add(new OutboundAttachment { FileName = name, ContentType = type, Size = file.Size, BlobHash = hash });
            }
        }
    }

    private static (string Name, string Type, long Size) Attachment(ComposeAttachment file)
    {
        var name = Path.GetFileName((file.FileName ?? "").Replace('\\', '/')).Trim();
        name = name.Length == 0 ? "attachment" : name.Length > 255 ? name[..255] : name;
        if (file.Size < 0)
        {
            throw AppProblem.Invalid(OutboxProblems.InvalidAttachment, $"The attachment {name} could not be read.");
        }
        var type = ContentType.TryParse(file.ContentType ?? "", out var parsed) ? parsed.MimeType : "application/octet-stream";
        return (name, type.Length <= 200 ? type : "application/octet-stream", file.Size);
    }

    /// <summary>Each entry one address or several ("a@x, Bea &lt;b@y&gt;"); each must be a whole address with a domain.</summary>
    private static List<string> Recipients(IReadOnlyList<string>? entries)
    {
        var result = new List<string>();
        foreach (var entry in entries ?? [])
        {
            if (string.IsNullOrWhiteSpace(entry))
            {
                continue;
            }
            if (!InternetAddressList.TryParse(entry, out var list) || list.Mailboxes.Count() == 0)
            {
                throw InvalidRecipient(entry.Trim());
            }
            foreach (var mailbox in list.Mailboxes)
            {
                if (!IsAddress(mailbox.Address))
                {
                    throw InvalidRecipient(mailbox.Address.Length > 0 ? mailbox.Address : entry.Trim());
                }
                result.Add(string.IsNullOrWhiteSpace(mailbox.Name) ? mailbox.Address : new MailboxAddress(mailbox.Name.Trim(), mailbox.Address).ToString(false));
            }
        }
        return result;
    }

    private static bool IsAddress(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || address.Length > 320 || address.Any(char.IsWhiteSpace))
        {
            return false;
        }
        var domain = address[(at + 1)..];
        return domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.')
            && Uri.CheckHostName(domain) == UriHostNameType.Dns
            && System.Net.Mail.MailAddress.TryCreate(address, out _);
    }

    private static AppProblem InvalidRecipient(string value)
    {
        var shown = value.Length <= 200 ? value : value[..200] + "…";
        return new AppProblem(StatusCodes.Status400BadRequest, OutboxProblems.InvalidRecipient, $"\"{shown}\" is not an email address.");
    }

    private async Task<OutboundEmailView> ViewAsync(User actor, OutboundEmail email, CancellationToken ct) =>
        View(actor, await db.OutboundEmails.AsNoTracking().Include(e => e.Attachments).FirstAsync(e => e.Id == email.Id, ct));

    /// <summary>Bcc is the author's to know: others who see the task see To and Cc only.</summary>
    internal static OutboundEmailView View(User actor, OutboundEmail e) => new(
        e.Id, e.TaskId, e.AccountId, e.AuthorUserId,
        string.IsNullOrEmpty(e.FromName) ? e.FromAddress : $"{e.FromName} <{e.FromAddress}>",
        e.To, e.Cc, e.AuthorUserId == actor.Id ? e.Bcc : [], e.Subject, e.BodyHtml, e.BodyText, e.Status, e.SendAt, e.SentAt,
        e.FailureCode, e.FailureReason,
        e.Attachments.OrderBy(a => a.Id).Select(a => new OutboundAttachmentView(a.Id, a.FileName, a.ContentType, a.Size)).ToList(),
        e.CreatedAt);

    internal static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture) + " MB";
}
