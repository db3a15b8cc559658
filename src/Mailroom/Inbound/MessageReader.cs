namespace Mailroom.Inbound;

/// <summary>Reads a raw email with MimeKit into a <see cref="ReadMessage"/>. Never throws on bad input.</summary>
public sealed class MessageReader(long maxAttachmentSize)
{
    public long MaxAttachmentSize { get; } = maxAttachmentSize;

    public ReadMessage Read(ReadOnlyMemory<byte> raw)
    {
        _ = raw;
        return new ReadMessage { Kind = "malformed", Reason = "not implemented yet" };
    }
}
