using System.Buffers;
using Mailroom.Smtp.Limits;

namespace Mailroom.Smtp.Protocol;

/// <summary>
/// Reads the text of DATA (RFC 5321 §4.1.1.4) into a pooled buffer, removing dot-stuffing on
/// the fly (§4.5.2) and enforcing the size (RFC 1870) and line-length (§4.5.3.1.6) limits.
/// It is fed whatever the transport delivered, so every decision survives a split anywhere,
/// even between the bytes of the terminating <c>CRLF.CRLF</c>.
/// </summary>
/// <remarks>
/// Lines may end in CRLF or a bare LF (for dot-unstuffing), but the message only ends at
/// <c>&lt;CRLF&gt;.&lt;CRLF&gt;</c>: accepting <c>LF.LF</c> or <c>LF.CRLF</c> as the end lets a
/// sender smuggle a second transaction past a relay that disagrees (SMTP smuggling,
/// CVE-2023-51764); Postfix's <c>smtpd_forbid_bare_newline = normalize</c> makes the same choice.
/// </remarks>
/// <para>
/// A body is kept in memory up to the spool threshold, and only while the shared
/// <see cref="BodyBudget"/> has room; past either it continues in a spool file, so a 40 MB message
/// costs the input pipe's megabyte of memory, not 40 (nor the 200 the growing arrays used to).
/// </para>
internal sealed class SmtpDataReader(long maxMessageSize, int maxLineLength, int spoolThreshold = int.MaxValue, BodyBudget? budget = null) : IDisposable
{
    /// <summary>Budget is taken in steps of this, so a small message costs one reservation.</summary>
    private const int ReserveStep = 64 * 1024;

    private readonly PooledByteBuffer _body = new();
    private readonly SmtpMessageBody _message = new();
    private long _reserved;
    private FileStream? _spool;
    private string? _spoolPath;

    private bool _atLineStart;
    private bool _previousLineEndedWithCrlf;
    private byte _lastByte;
    private long _lineLength;
    private long _size;

    /// <summary>The unstuffed message; meaningful once <see cref="TryRead"/> returned true.</summary>
    public SmtpMessageBody Message
    {
        get
        {
            if (_spool is not null)
            {
                _message.Set(_spoolPath!, _spool.Length);
            }
            else
            {
                _message.Set(_body.WrittenMemory);
            }
            return _message;
        }
    }

    /// <summary>Writes out what the spool file still buffers; false (and <see cref="SpoolFailed"/>) when the disk refuses it.</summary>
    public bool TryFinishSpool()
    {
        try
        {
            _spool?.Flush();
            return true;
        }
        catch (IOException)
        {
            SpoolFailed = true;
            Discard();
            return false;
        }
    }

    /// <summary>The spool file could not be written (disk full): the message cannot be accepted.</summary>
    public bool SpoolFailed { get; private set; }

    /// <summary>Bytes of message received (after unstuffing), including those discarded past the limit.</summary>
    public long Size => _size;

    public bool TooLarge { get; private set; }

    public bool LineTooLong { get; private set; }

    /// <summary>Starts a new message; the CRLF that ended the DATA command counts as the line before it.</summary>
    public void Begin()
    {
        Reset();
        _atLineStart = true;
        _previousLineEndedWithCrlf = true;
        _lastByte = (byte)'\n';
        _lineLength = 0;
        _size = 0;
        TooLarge = false;
        LineTooLong = false;
        SpoolFailed = false;
    }

    /// <summary>Releases the body buffer (and spool file) once the sink is done with it, or the message is abandoned.</summary>
    public void Reset()
    {
        _body.Clear();
        _message.Clear();
        if (_reserved > 0)
        {
            budget?.Release(_reserved);
            _reserved = 0;
        }
        if (_spool is not null)
        {
            _spool.Dispose();
            _spool = null;
            try
            {
                // The sink may have moved it into its store already.
                File.Delete(_spoolPath!);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            _spoolPath = null;
        }
    }

    /// <summary>
    /// Consumes from <paramref name="buffer"/> everything it can decide about; returns true when
    /// the terminating line was consumed. Unconsumed bytes (at most the start of a possible
    /// terminator) are left in <paramref name="buffer"/> for the next call with more data.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[3];
        while (!buffer.IsEmpty)
        {
            if (_atLineStart)
            {
                if (buffer.FirstSpan[0] == (byte)'.')
                {
                    // Decide between ".<CRLF>" (the end) and a stuffed dot: up to 3 bytes are needed.
                    var available = (int)Math.Min(3, buffer.Length);
                    buffer.Slice(0, available).CopyTo(head);
                    if (available >= 2 && head[1] != (byte)'\r')
                    {
                        // Not the terminator whatever follows.
                    }
                    else if (available < 3)
                    {
                        return false;
                    }
                    else if (head[2] == (byte)'\n' && _previousLineEndedWithCrlf)
                    {
                        buffer = buffer.Slice(3);
                        return true;
                    }

                    // RFC 5321 §4.5.2: a leading dot is removed from every other line.
                    buffer = buffer.Slice(1);
                    _lastByte = (byte)'.';
                    _lineLength = 1;
                }

                _atLineStart = false;
                continue;
            }

            var lineFeed = buffer.PositionOf((byte)'\n');
            if (lineFeed is null)
            {
                Append(buffer);
                buffer = buffer.Slice(buffer.End);
                return false;
            }

            var line = buffer.Slice(0, buffer.GetPosition(1, lineFeed.Value));
            var beforeLine = _lastByte;
            Append(line);
            var byteBeforeLineFeed = line.Length >= 2 ? line.Slice(line.Length - 2, 1).FirstSpan[0] : beforeLine;
            _previousLineEndedWithCrlf = byteBeforeLineFeed == (byte)'\r';
            _atLineStart = true;
            _lineLength = 0;
            buffer = buffer.Slice(line.End);
        }

        return false;
    }

    public void Dispose() => Reset();

    private void Append(in ReadOnlySequence<byte> bytes)
    {
        var length = bytes.Length;
        if (length == 0)
        {
            return;
        }

        _size += length;
        _lineLength += length;
        _lastByte = bytes.Slice(length - 1).FirstSpan[0];

        if (_lineLength > maxLineLength)
        {
            LineTooLong = true;
        }

        if (_size > maxMessageSize && !TooLarge)
        {
            // Keep reading to the end so the reply lands after DATA (RFC 1870 §6.3), but hold nothing.
            TooLarge = true;
            Discard();
        }

        if (TooLarge || LineTooLong || SpoolFailed)
        {
            return;
        }

        if (_spool is null && _size > _reserved && !Reserve())
        {
            StartSpool();
        }

        if (_spool is null)
        {
            _body.Write(bytes);
            return;
        }

        try
        {
            foreach (var segment in bytes)
            {
                // Into the page cache; the sink decides when (and whether) it reaches the disk.
                _spool.Write(segment.Span);
            }
        }
        catch (IOException)
        {
            SpoolFailed = true;
            Discard();
        }
    }

    /// <summary>More of the memory budget for a body that is still small enough; false when it should be spooled.</summary>
    private bool Reserve()
    {
        if (_size > spoolThreshold)
        {
            return false;
        }
        var step = Math.Max(ReserveStep, _size - _reserved);
        if (budget is not null && !budget.TryReserve(step))
        {
            return false;
        }
        _reserved += step;
        return true;
    }

    /// <summary>Moves what is held so far into a new spool file, which receives the rest.</summary>
    private void StartSpool()
    {
        var directory = budget?.SpoolDirectory ?? Path.Combine(Path.GetTempPath(), "mailroom-spool");
        try
        {
            Directory.CreateDirectory(directory);
            _spoolPath = Path.Combine(directory, $"{Guid.NewGuid():N}.spool");
            _spool = new FileStream(_spoolPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 64 * 1024, FileOptions.None);
            _spool.Write(_body.WrittenMemory.Span);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SpoolFailed = true;
            Discard();
            return;
        }
        _body.Clear();
        if (_reserved > 0)
        {
            budget?.Release(_reserved);
            _reserved = 0;
        }
    }

    /// <summary>Drops what was received while reading on to the end of DATA.</summary>
    private void Discard() => Reset();
}
