using Mailroom.Groups;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Posts;

/// <summary>Group feeds: reading them, writing in them, downloading what emails brought.</summary>
public sealed class PostService(MailroomDb db, GroupService groups, BlobStore blobs)
{
    public async Task<IReadOnlyList<PostView>> FeedAsync(User actor, Guid groupId, int take = 50, DateTimeOffset? before = null, CancellationToken cancellationToken = default)
    {
        await groups.GetVisibleAsync(actor, groupId, cancellationToken);
        var query = db.Posts.AsNoTracking().Include(p => p.Attachments).Where(p => p.GroupId == groupId);
        if (before is { } b)
        {
            query = query.Where(p => p.CreatedAt < b);
        }
        var posts = await query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
        return await DescribeAsync(actor, posts, cancellationToken);
    }

    public async Task<PostView> GetAsync(User actor, Guid postId, CancellationToken cancellationToken = default)
    {
        var post = await FindVisibleAsync(actor, postId, cancellationToken);
        return (await DescribeAsync(actor, [post], cancellationToken))[0];
    }

    public async Task<PostView> CreateAsync(User actor, Guid groupId, string title, string body, CancellationToken cancellationToken = default)
    {
        await groups.GetVisibleAsync(actor, groupId, cancellationToken);
        if (string.IsNullOrWhiteSpace(title))
        {
            throw AppProblem.Invalid("invalid_title", "Give the post a title.");
        }
        var post = new Post { GroupId = groupId, Title = title.Trim(), Body = body ?? "", Source = PostSource.App, AuthorUserId = actor.Id };
        db.Posts.Add(post);
        await db.SaveChangesAsync(cancellationToken);
        return (await DescribeAsync(actor, [post], cancellationToken))[0];
    }

    public async Task<(PostAttachment Attachment, Stream Content)> OpenAttachmentAsync(User actor, Guid postId, Guid attachmentId, CancellationToken cancellationToken = default)
    {
        var attachment = await FindAttachmentAsync(actor, postId, attachmentId, cancellationToken);
        return (attachment, blobs.OpenRead(attachment.BlobHash));
    }

    /// <summary>An attachment of a post the member may read: what its download and its thumbnail both ask.</summary>
    public async Task<PostAttachment> FindAttachmentAsync(User actor, Guid postId, Guid attachmentId, CancellationToken cancellationToken = default)
    {
        var post = await FindVisibleAsync(actor, postId, cancellationToken);
        return post.Attachments.FirstOrDefault(a => a.Id == attachmentId) ?? throw AppProblem.NotFound("The attachment");
    }

    /// <summary>
    /// The email exactly as it was received, for posts made from email. Not for guests: its
    /// <c>To:</c> is the integration's secret address, which guests never see.
    /// </summary>
    public async Task<Stream> OpenOriginalAsync(User actor, Guid postId, CancellationToken cancellationToken = default)
    {
        var post = await FindVisibleAsync(actor, postId, cancellationToken);
        if (!MaySeeOriginals(actor))
        {
            throw AppProblem.Forbidden("Guests cannot download original emails: they carry the group's secret address.");
        }
        var hash = await db.InboundMessages.Where(m => m.Id == post.InboundMessageId).Select(m => m.BlobHash).FirstOrDefaultAsync(cancellationToken)
            ?? throw AppProblem.NotFound("The original email");
        return blobs.OpenRead(hash);
    }

    private async Task<Post> FindVisibleAsync(User actor, Guid postId, CancellationToken cancellationToken)
    {
        var post = await db.Posts.AsNoTracking().Include(p => p.Attachments).FirstOrDefaultAsync(p => p.Id == postId, cancellationToken)
            ?? throw AppProblem.NotFound("The post");
        await groups.GetVisibleAsync(actor, post.GroupId, cancellationToken);
        return post;
    }

    private static bool MaySeeOriginals(User actor) => actor.Role != WorkspaceRole.Guest;

    private async Task<IReadOnlyList<PostView>> DescribeAsync(User actor, IReadOnlyList<Post> posts, CancellationToken cancellationToken)
    {
        var originals = MaySeeOriginals(actor);
        var authorIds = posts.Where(p => p.AuthorUserId is not null).Select(p => p.AuthorUserId!.Value).Distinct().ToList();
        var names = authorIds.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Users.Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return posts.Select(p => new PostView(
            p.Id, p.GroupId, p.Title, p.Body, p.BodyHtml, p.Source == PostSource.Email,
            p.Source == PostSource.Email ? p.AuthorEmail ?? "(unknown sender)" : names.GetValueOrDefault(p.AuthorUserId ?? Guid.Empty, "(former member)"),
            p.AuthorEmail, p.AuthorName, p.Notes, p.CreatedAt, originals && p.InboundMessageId is not null,
            p.Attachments.OrderBy(a => a.FileName)
                .Select(a => AttachmentView.Of(a.Id, a.FileName, a.ContentType, a.Size, $"/api/posts/{p.Id}/attachments/{a.Id}"))
                .ToList(), p.SenderUnverified)).ToList();
    }
}
