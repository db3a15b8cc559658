using System.Buffers;
using System.Text;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Tests;

/// <summary>
/// The DATA parser fed the same bytes cut at every possible place, two and three segments deep:
/// sockets rarely split exactly inside "\r\n.\r\n", so this is where such splits are guaranteed.
/// </summary>
public sealed class SmtpDataReaderTests
{
    // Stuffed dots, a lone dot before CR without LF, and dot lines after bare LFs (not terminators).
    private const string Wire = "Subject: s\r\n\r\n..one\r\n.x\r\n.\rz\r\nx\n.\ny\n.\r\nlast\r\n.\r\nNEXT";
    private const string Expected = "Subject: s\r\n\r\n.one\r\nx\r\n\rz\r\nx\n\ny\n\r\nlast\r\n";

    [Fact]
    public void TryRead_SplitAtEveryPosition_UnstuffsAndStopsAtTheTerminator()
    {
        var bytes = Encoding.ASCII.GetBytes(Wire);
        for (var first = 0; first <= bytes.Length; first++)
        {
            for (var second = first; second <= bytes.Length; second++)
            {
                var (message, rest) = Feed(bytes, [first, second]);
                Assert.True(Expected == message, $"split at {first},{second}: got \"{message}\"");
                Assert.Equal("NEXT", rest);
            }
        }
    }

    [Fact]
    public void TryRead_MessageAboveLimit_IsFlaggedAndNotKept()
    {
        using var reader = new SmtpDataReader(maxMessageSize: 5, maxLineLength: 1000);
        reader.Begin();
        var buffer = new ReadOnlySequence<byte>("123456\r\n.\r\n"u8.ToArray());
        Assert.True(reader.TryRead(ref buffer));
        Assert.True(reader.TooLarge);
        Assert.Equal(8, reader.Size);
        Assert.Equal(0, reader.Message.Length);
    }

    /// <summary>Feeds the reader chunk by chunk, keeping what it left unconsumed like a PipeReader would.</summary>
    private static (string Message, string Remainder) Feed(byte[] bytes, int[] cuts)
    {
        using var reader = new SmtpDataReader(maxMessageSize: 1000, maxLineLength: 1000);
        reader.Begin();
        var pending = Array.Empty<byte>();
        var start = 0;
        foreach (var end in cuts.Append(bytes.Length))
        {
            var chunk = pending.Concat(bytes[start..end]).ToArray();
            start = end;
            var buffer = Segmented(chunk, pending.Length);
            if (reader.TryRead(ref buffer))
            {
                var rest = buffer.ToArray().Concat(bytes[start..]).ToArray();
                return (Encoding.ASCII.GetString(reader.Message.Memory.Span), Encoding.ASCII.GetString(rest));
            }

            pending = buffer.ToArray();
        }

        return ("<not terminated>", string.Empty);
    }

    /// <summary>A two-segment sequence, split where the previously unconsumed bytes end.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int split)
    {
        if (split <= 0 || split >= bytes.Length)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new Segment(bytes.AsMemory(0, split), 0);
        var last = first.Append(bytes.AsMemory(split));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
