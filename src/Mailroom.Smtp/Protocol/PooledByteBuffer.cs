using System.Buffers;

namespace Mailroom.Smtp.Protocol;

/// <summary>
/// A growable byte buffer on <see cref="ArrayPool{T}.Shared"/>, so that a busy listener reuses
/// the arrays that hold message bodies instead of leaving them to the large object heap.
/// </summary>
internal sealed class PooledByteBuffer : IDisposable
{
    private const int InitialCapacity = 16 * 1024;

    private byte[] _array = [];
    private int _length;

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _array.Length - _length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_array.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Write(in ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            Write(segment.Span);
        }
    }

    /// <summary>Forgets the content and gives the array back, so an idle session holds no body.</summary>
    public void Clear()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }

        _length = 0;
    }

    public void Dispose() => Clear();

    private void Grow(int needed)
    {
        var required = (long)_length + needed;
        var capacity = Math.Max(InitialCapacity, (long)_array.Length * 2);
        while (capacity < required)
        {
            capacity *= 2;
        }

        var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(capacity, Array.MaxLength));
        _array.AsSpan(0, _length).CopyTo(next);
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = next;
    }
}
