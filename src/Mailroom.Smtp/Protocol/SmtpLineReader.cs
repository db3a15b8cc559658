using System.Buffers;

namespace Mailroom.Smtp.Protocol;

/// <summary>Splits command lines out of the transport buffer.</summary>
internal static class SmtpLineReader
{
    /// <summary>
    /// Takes one command line off <paramref name="buffer"/>, without its terminator. RFC 5321
    /// §2.3.8 requires CRLF, but a bare LF is accepted for commands: being strict here protects
    /// nothing and breaks hand-typed sessions and sloppy scripts.
    /// </summary>
    public static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line, out long lengthWithTerminator)
    {
        var lineFeed = buffer.PositionOf((byte)'\n');
        if (lineFeed is null)
        {
            line = default;
            lengthWithTerminator = 0;
            return false;
        }

        line = buffer.Slice(0, lineFeed.Value);
        var next = buffer.GetPosition(1, lineFeed.Value);
        lengthWithTerminator = line.Length + 1;
        if (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            line = line.Slice(0, line.Length - 1);
        }

        buffer = buffer.Slice(next);
        return true;
    }
}
