using System.Buffers;

namespace Mailroom.Inbound;

/// <summary>
/// One linear pass over a raw message before MimeKit sees it: how long its header block is, and
/// where to stop so that at most <see cref="ReadLimits.MaxParts"/> parts are parsed. Boundary
/// lines are those starting with <c>--</c> (RFC 2046 §5.1.1); a text full of such lines is cut
/// there too, which only leaves out text, as the text limit does. A part whose own header block is
/// longer than <see cref="ReadLimits.MaxHeaderSize"/> is cut at its boundary: MimeKit's header
/// buffer grows in the square of one header's length.
/// </summary>
internal readonly record struct MimeScan(long HeaderSize, long? CutAt, bool CutAtLongPartHeader = false)
{
    public static MimeScan Of(Stream stream, long start, ReadLimits limits, CancellationToken cancellationToken)
    {
        // Each part has an opening boundary line; nested multiparts and closing lines add more.
        var maxBoundaries = (long)limits.MaxParts * 2 + 2;
        // Pooled: small messages are read by the thousand per second.
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            return Scan(stream, start, limits, maxBoundaries, buffer, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static MimeScan Scan(Stream stream, long start, ReadLimits limits, long maxBoundaries, byte[] buffer, CancellationToken cancellationToken)
    {
        stream.Position = start;
        long position = start;
        long lineStart = start;
        long headerSize = -1;
        long boundaries = 0;
        var lineLength = 0; // bytes seen of the current line, up to 2
        var firstTwo = (byte)0;
        var boundaryLine = false;
        long boundaryStart = -1;
        long partHeaderStart = -1; // where the header block of the part after a boundary began, while in it
        int count;
        while ((count = stream.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < count; i++, position++)
            {
                var b = buffer[i];
                if (b == '\n')
                {
                    var empty = lineLength == 0 || (lineLength == 1 && firstTwo == '\r');
                    if (headerSize < 0 && empty)
                    {
                        headerSize = lineStart - start;
                        if (headerSize > limits.MaxHeaderSize)
                        {
                            return new MimeScan(headerSize, null);
                        }
                    }

                    if (boundaryLine)
                    {
                        boundaryStart = lineStart;
                        partHeaderStart = position + 1;
                    }
                    else if (empty)
                    {
                        partHeaderStart = -1;
                    }
                    lineStart = position + 1;
                    lineLength = 0;
                    boundaryLine = false;
                    continue;
                }

                if (partHeaderStart >= 0 && position - partHeaderStart > limits.MaxHeaderSize)
                {
                    return new MimeScan(headerSize, boundaryStart, CutAtLongPartHeader: true);
                }

                if (headerSize < 0 && position - start > limits.MaxHeaderSize)
                {
                    return new MimeScan(position - start, null);
                }

                if (lineLength == 0)
                {
                    firstTwo = b;
                }
                else if (lineLength == 1 && firstTwo == '-' && b == '-' && headerSize >= 0)
                {
                    if (++boundaries > maxBoundaries)
                    {
                        return new MimeScan(headerSize, lineStart);
                    }
                    boundaryLine = true;
                }

                if (lineLength < 2)
                {
                    lineLength++;
                }
            }
        }

        return new MimeScan(headerSize < 0 ? position - start : headerSize, null);
    }
}
