using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Tasks;

/// <summary>Comments and replies on a task, its activity stream and its files.</summary>
public sealed class CommentService(MailroomDb db, TaskService tasks, BlobStore blobs, TimeProvider clock)
{
    /// <summary>Top-level comments oldest first, each with its replies oldest first.</summary>
    public async Task<IReadOnlyList<CommentView>> ListAsync(User actor, Guid taskId, CancellationToken cancellationToken = default)
    {
        await tasks.FindAsync(actor, taskId, write: false, cancellationToken);
        var comments = await db.Comments.AsNoTracking().Where(c => c.TaskId == taskId).ToListAsync(cancellationToken);
        var views = await DescribeAsync(taskId, comments, cancellationToken);
        return views.Values.Where(v => v.ParentCommentId is null).OrderBy(v => v.CreatedAt).ThenBy(v => v.Id).ToList();
    }

    /// <summary>A comment, or with <paramref name="parentId"/> a reply under that comment (a reply to a reply goes under the same top-level comment).</summary>
    public async Task<CommentView> AddAsync(User actor, Guid taskId, string? body, Guid? parentId, CancellationToken cancellationToken = default)
    {
        var (task, _) = await tasks.FindAsync(actor, taskId, write: true, cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            throw AppProblem.Invalid("invalid_comment", "Write something in the comment.");
        }
        Guid? parent = null;
        if (parentId is { } pid)
        {
            var p = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == pid && c.TaskId == taskId, cancellationToken)
                ?? throw AppProblem.NotFound("The comment replied to");
            parent = p.ParentCommentId ?? p.Id;
        }
        var comment = new Comment { TaskId = task.Id, ParentCommentId = parent, Body = body, AuthorUserId = actor.Id, CreatedAt = clock.GetUtcNow() };
        db.Comments.Add(comment);
        TaskService.Record(db, task.Id, parent is null ? ActivityKind.Comment : ActivityKind.Reply, actor.Id,
            parent is null ? "commented" : "replied to a comment", commentId: comment.Id, at: comment.CreatedAt);
        task.UpdatedAt = comment.CreatedAt;
        await db.SaveChangesAsync(cancellationToken);
        return (await DescribeAsync(task.Id, [comment], cancellationToken))[comment.Id];
    }

    /// <summary>Everything that happened to the task, newest last.</summary>
    public async Task<IReadOnlyList<ActivityView>> ActivityAsync(User actor, Guid taskId, CancellationToken cancellationToken = default)
    {
        await tasks.FindAsync(actor, taskId, write: false, cancellationToken);
        var entries = await db.TaskActivities.AsNoTracking().Where(a => a.TaskId == taskId).ToListAsync(cancellationToken);
        var comments = await DescribeAsync(taskId, await db.Comments.AsNoTracking().Where(c => c.TaskId == taskId).ToListAsync(cancellationToken), cancellationToken);
        var actorIds = entries.Where(e => e.ActorUserId is not null).Select(e => e.ActorUserId!.Value).Distinct().ToList();
        var names = await db.Users.Where(u => actorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return entries.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .Select(e => new ActivityView(
                e.Id, e.Kind,
                e.ActorUserId is { } by ? names.GetValueOrDefault(by, "(former member)") : e.ActorEmail ?? "(unknown sender)",
                e.ActorUserId, e.ActorEmail, e.Text, e.CreatedAt,
                e.CommentId is { } cid && comments.TryGetValue(cid, out var c) ? c with { Replies = [] } : null))
            .ToList();
    }

    public async Task<(TaskAttachment Attachment, Stream Content)> OpenAttachmentAsync(User actor, Guid taskId, Guid attachmentId, CancellationToken cancellationToken = default)
    {
        var attachment = await FindAttachmentAsync(actor, taskId, attachmentId, cancellationToken);
        return (attachment, blobs.OpenRead(attachment.BlobHash));
    }

    /// <summary>A file of a task the member may read: what its download and its thumbnail both ask.</summary>
    public async Task<TaskAttachment> FindAttachmentAsync(User actor, Guid taskId, Guid attachmentId, CancellationToken cancellationToken = default)
    {
        await tasks.FindAsync(actor, taskId, write: false, cancellationToken);
        return await db.TaskAttachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId && a.TaskId == taskId, cancellationToken)
            ?? throw AppProblem.NotFound("The attachment");
    }

    /// <summary>Views by id; top-level comments carry their replies.</summary>
    private async Task<Dictionary<Guid, CommentView>> DescribeAsync(Guid taskId, IReadOnlyList<Comment> comments, CancellationToken cancellationToken)
    {
        var ids = comments.Select(c => c.Id).ToList();
        var authorIds = comments.Where(c => c.AuthorUserId is not null).Select(c => c.AuthorUserId!.Value).Distinct().ToList();
        var names = await db.Users.Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var files = (await db.TaskAttachments.AsNoTracking().Where(a => a.CommentId != null && ids.Contains(a.CommentId.Value)).ToListAsync(cancellationToken))
            .ToLookup(a => a.CommentId!.Value);
        var replies = comments.Where(c => c.ParentCommentId is not null).ToLookup(c => c.ParentCommentId!.Value);
        CommentView View(Comment c, bool withReplies) => new(
            c.Id, c.TaskId, c.ParentCommentId, c.Body, c.Quoted,
            c.AuthorUserId is { } by ? names.GetValueOrDefault(by, "(former member)") : c.AuthorEmail ?? "(unknown sender)",
            c.AuthorUserId, c.FromEmail, c.AuthorEmail, c.AuthorName, c.Notes, c.CreatedAt,
            files[c.Id].OrderBy(a => a.FileName).Select(a => TaskService.Attachment(taskId, a)).ToList(),
            withReplies ? replies[c.Id].OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Select(r => View(r, false)).ToList() : [], c.SenderUnverified);
        return comments.ToDictionary(c => c.Id, c => View(c, c.ParentCommentId is null));
    }
}
