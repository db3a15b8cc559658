using Mailroom.Storage;

namespace Mailroom.Tasks;

/// <summary>A file on a task, brought by the email that created it or by a comment.</summary>
public sealed class TaskAttachment
{
    public Guid Id { get; set; } = Ids.New();
    public Guid TaskId { get; set; }
    public Guid? CommentId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }

    /// <summary>SHA-256 of the content in the blob store.</summary>
    public required string BlobHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
