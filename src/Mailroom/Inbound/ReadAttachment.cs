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

    [JsonIgnore]
    public byte[]? Content { get; init; }
}
