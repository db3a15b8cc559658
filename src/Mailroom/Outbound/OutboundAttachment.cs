using Mailroom.Storage;

namespace Mailroom.Outbound;

/// <summary>A file of an outbox email; its content is in the blob store, shared with the comment that shows the email.</summary>
public sealed class OutboundAttachment
{
    public Guid Id { get; set; } = Ids.New();
    public Guid OutboundEmailId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }

    /// <summary>SHA-256 of the content in <c>BlobStore</c>.</summary>
    public required string BlobHash { get; set; }
}
