using System.Text.Json.Serialization;

namespace Mailroom.Inbound;

/// <summary>An attachment of a read message; <see cref="Content"/> is null when it was left out.</summary>
public sealed record ReadAttachment
{
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public required long Size { get; init; }
    public required bool Kept { get; init; }

    /// <summary>Why it was left out (e.g. over the size limit), null when kept.</summary>
    public string? LeftOutReason { get; init; }

    /// <summary>Content-ID for inline parts, so HTML can refer to them.</summary>
    public string? ContentId { get; init; }

    /// <summary>
    /// Opens the decoded content of a kept attachment, null when it was left out. Read while the
    /// message is: with a message parsed from a file, the content is read from that file, so a
    /// post's attachments are never all in memory at once.
    /// </summary>
    [JsonIgnore]
    public Func<Stream>? Open { get; init; }

    /// <summary>The decoded content read whole (for callers that want bytes), null when left out.</summary>
    [JsonIgnore]
    public byte[]? Content
    {
        get
        {
            if (Open is null)
            {
                return null;
            }

            using var stream = Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
