namespace Mailroom.Inbound;

/// <summary>
/// A write-only stream that keeps bytes up to a cap and afterwards only counts them: an
/// attachment over the limit is measured for the "left out" note without holding a copy of it.
/// </summary>
internal sealed class CappedBuffer(long cap) : Stream
{
    private MemoryStream? _kept = new();
    private long _length;

    /// <summary>Bytes written in all.</summary>
    public override long Length => _length;

    /// <summary>The bytes written, or null once there were more than the cap.</summary>
    public byte[]? Content => _kept?.ToArray();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _length += buffer.Length;
        if (_length > cap)
        {
            _kept?.Dispose();
            _kept = null;
            return;
        }

        _kept?.Write(buffer);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _kept?.Dispose();
        }

        base.Dispose(disposing);
    }
}
