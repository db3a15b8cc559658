namespace Mailroom.Smtp;

/// <summary>
/// The dot-unstuffed bytes of one message, as <see cref="ISmtpMessageSink.DeliverAsync"/> gets
/// them: in memory when small, otherwise in a spool file (<see cref="SmtpServerOptions.SpoolThreshold"/>),
/// so a large message never sits whole in the server's memory. Valid only during the call; one
/// instance serves every message of a session.
/// </summary>
public sealed class SmtpMessageBody
{
    private ReadOnlyMemory<byte> _memory;

    public long Length { get; private set; }

    /// <summary>The spool file holding the body, or null when it is in <see cref="Memory"/>.</summary>
    /// <remarks>
    /// The sink may move the file away (rename it into its own store, which is why the spool
    /// directory belongs on the same file system); whatever is left there after the call is deleted.
    /// </remarks>
    public string? FilePath { get; private set; }

    public bool IsSpooled => FilePath is not null;

    /// <summary>The bytes of a body that is not spooled.</summary>
    public ReadOnlyMemory<byte> Memory =>
        FilePath is null ? _memory : throw new InvalidOperationException("The body is spooled to a file; read it with OpenRead.");

    /// <summary>Reads the body from wherever it is.</summary>
    public Stream OpenRead()
    {
        if (FilePath is not null)
        {
            return new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        }
        return System.Runtime.InteropServices.MemoryMarshal.TryGetArray(_memory, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(_memory.ToArray(), writable: false);
    }

    /// <summary>The whole body as a new array (tests, small bodies).</summary>
    public byte[] ToArray() => FilePath is null ? _memory.ToArray() : File.ReadAllBytes(FilePath);

    internal void Set(ReadOnlyMemory<byte> memory)
    {
        _memory = memory;
        FilePath = null;
        Length = memory.Length;
    }

    internal void Set(string path, long length)
    {
        _memory = default;
        FilePath = path;
        Length = length;
    }

    internal void Clear() => Set(default);
}
