using System.Security.Cryptography;

namespace Mailroom.Storage;

/// <summary>
/// Row ids: UUID version 7 (RFC 9562 §5.7), in creation order. <see cref="Ids.New()"/>
/// fills everything below the millisecond with random bits, so two rows made in the same
/// millisecond (two attachments of one email, two messages of one SMTP session) sort at random
/// wherever a list is ordered by id. Here the 12 bits after the millisecond carry the time's
/// fraction (RFC 9562 §6.2, method 3) and never go backwards within the process: each id is
/// greater than the one before it. Across instances they sort by time; the 62 bits after stay random.
/// </summary>
public sealed class Ids
{
    private static readonly Ids Process = new();

    // Milliseconds since the Unix epoch × 4096, plus the fraction of the millisecond in 1/4096ths.
    private long _last;

    /// <summary>A new id, after every id made before it in this process.</summary>
    public static Guid New() => Process.Next(DateTimeOffset.UtcNow);

    /// <summary>An id for <paramref name="now"/>, after any id this generator made before.</summary>
    public Guid Next(DateTimeOffset now)
    {
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var candidate = ticks / TimeSpan.TicksPerMillisecond * 4096 + ticks % TimeSpan.TicksPerMillisecond * 4096 / TimeSpan.TicksPerMillisecond;
        long last, next;
        do
        {
            last = Volatile.Read(ref _last);
            next = Math.Max(candidate, last + 1);
        }
        while (Interlocked.CompareExchange(ref _last, next, last) != last);

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        var milliseconds = next >> 12;
        var fraction = (int)(next & 0xFFF);
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (40 - 8 * i));
        }
        bytes[6] = (byte)(0x70 | (fraction >> 8));
        bytes[7] = (byte)fraction;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
