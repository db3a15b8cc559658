namespace Mailroom.Inbound;

/// <summary>
/// A write-only stream that keeps the first bytes up to a cap and afterwards only counts: a text
/// part of 50 MB costs its first megabytes of memory, not all of them.
/// </summary>
internal sealed class PrefixBuffer(int cap) : Stream
{
    private readonly MemoryStream _kept = new();
    private long _length;

    /// <summary>Bytes written in all.</summary>
    public override long Length => _length;

    /// <summary>Whether more was written than kept.</summary>
    public bool Cut => _length > _kept.Length;

    public ArraySegment<byte> Kept => new(_kept.GetBuffer(), 0, (int)_kept.Length);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _length += buffer.Length;
        var room = cap - (int)_kept.Length;
        if (room > 0)
        {
            _kept.Write(buffer[..Math.Min(room, buffer.Length)]);
        }
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
            _kept.Dispose();
        }

        base.Dispose(disposing);
    }
}
