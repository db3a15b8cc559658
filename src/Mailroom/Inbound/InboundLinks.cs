using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Inbound;

/// <summary>
/// What inbound messages became, as links for the log: posts in their group feed, tasks, and
/// comments on their task's page (the pages give each post and comment an id to land on).
/// Read by the message ids the features kept on what they made, never written.
/// </summary>
public sealed class InboundLinks(MailroomDb db)
{
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<InboundLink>>> ForAsync(IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, List<InboundLink>>();
        if (messageIds.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyList<InboundLink>>();
        }
        var ids = messageIds.Select(id => (Guid?)id).ToList();
        var posts = await db.Posts.AsNoTracking().Where(p => ids.Contains(p.InboundMessageId))
            .Join(db.Groups, p => p.GroupId, g => g.Id, (p, g) => new { MessageId = p.InboundMessageId!.Value, p.Id, p.GroupId, p.Title, Group = g.Name })
            .ToListAsync(cancellationToken);
        foreach (var p in posts)
        {
            Add(found, p.MessageId, new InboundLink("post", p.Id, $"Post \"{p.Title}\" in {p.Group}", $"/groups/{p.GroupId}#post-{p.Id}"));
        }
        var tasks = await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.InboundMessageId))
            .Select(t => new { MessageId = t.InboundMessageId!.Value, t.Id, t.Name }).ToListAsync(cancellationToken);
        foreach (var t in tasks)
        {
            Add(found, t.MessageId, new InboundLink("task", t.Id, $"Task \"{t.Name}\"", $"/tasks/{t.Id}"));
        }
        var comments = await db.Comments.AsNoTracking().Where(c => ids.Contains(c.InboundMessageId))
            .Join(db.Tasks, c => c.TaskId, t => t.Id, (c, t) => new { MessageId = c.InboundMessageId!.Value, c.Id, c.TaskId, Task = t.Name })
            .ToListAsync(cancellationToken);
        foreach (var c in comments)
        {
            Add(found, c.MessageId, new InboundLink("comment", c.Id, $"Comment on \"{c.Task}\"", $"/tasks/{c.TaskId}#comment-{c.Id}"));
        }
        return found.ToDictionary(f => f.Key, f => (IReadOnlyList<InboundLink>)f.Value);
    }

    private static void Add(Dictionary<Guid, List<InboundLink>> found, Guid messageId, InboundLink link)
    {
        if (!found.TryGetValue(messageId, out var links))
        {
            found[messageId] = links = [];
        }
        links.Add(link);
    }
}
