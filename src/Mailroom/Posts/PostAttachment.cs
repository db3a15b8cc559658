using Mailroom.Storage;

namespace Mailroom.Posts;

public sealed class PostAttachment
{
    public Guid Id { get; set; } = Ids.New();
    public Guid PostId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }

    /// <summary>SHA-256 of the content in the blob store.</summary>
    public required string BlobHash { get; set; }
}
