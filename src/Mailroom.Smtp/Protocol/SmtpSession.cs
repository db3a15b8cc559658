using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using System.Text;
using Mailroom.Smtp.Commands;
using Mailroom.Smtp.Limits;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailroom.Smtp.Protocol;

/// <summary>
/// One SMTP/LMTP conversation: reads command lines and DATA off the connection's pipe, runs
/// the verb classes in <see cref="Commands"/> and writes their replies. Replies are batched and
/// flushed only when the input is drained, which is what makes PIPELINING (RFC 2920) cheap.
/// </summary>
internal sealed class SmtpSession : IAsyncDisposable
{
    /// <summary>Command bytes no command may hold: controls (NUL included) and DEL; they would only reach logs and the database.</summary>
    private static readonly SearchValues<byte> ForbiddenInCommand = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private readonly ConnectionContext _connection;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;
    private readonly SslStreamCertificateContext? _certificate;
    private readonly CancellationToken _stopping;
    private readonly byte[] _lineBuffer;
    private readonly SmtpDataReader _data;
    private readonly long _sessionEnd;
    private readonly long _dataWindow;
    private CancellationTokenSource _readCancellation;
    private long _dataWindowEnd;
    private long _dataWindowStartSize;
    private bool _delayReply;

    private PipeReader _reader;
    private PipeWriter _writer;
    private SslStream? _tls;
    private int _errors;
    private int _messages;
    private bool _closing;
    private bool _startTlsRequested;
    private bool _inData;
    private bool _skippingLongLine;
    private bool _inputDrained = true;

    public SmtpSession(
        ConnectionContext connection,
        SmtpServerOptions options,
        IServiceScopeFactory scopes,
        ILogger logger,
        SslStreamCertificateContext? certificate,
        ClientLimiter.Client? client,
        BodyBudget? budget,
        CancellationToken stopping)
    {
        Client = client;
        _sessionEnd = Stopwatch.GetTimestamp() + Ticks(options.SessionTimeout);
        _dataWindow = Ticks(options.DataRateWindow);
        _connection = connection;
        Options = options;
        _scopes = scopes;
        _logger = logger;
        _certificate = certificate;
        _stopping = stopping;
        _reader = connection.Transport.Input;
        _writer = connection.Transport.Output;
        _lineBuffer = ArrayPool<byte>.Shared.Rent(options.MaxCommandLineLength);
        _data = new SmtpDataReader(options.MaxMessageSize, options.MaxDataLineLength, options.SpoolThreshold, budget);
        _readCancellation = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, stopping);
        Context = new SmtpSessionContext
        {
            ConnectionId = connection.ConnectionId,
            RemoteEndPoint = connection.RemoteEndPoint,
            IsLmtp = options.IsLmtp,
        };
    }

    public SmtpServerOptions Options { get; }

    public ILogger Logger => _logger;

    /// <summary>The per-address counters this session is charged to; null for an exempt client.</summary>
    public ClientLimiter.Client? Client { get; }

    public SmtpSessionContext Context { get; }

    public SmtpTransaction Transaction { get; } = new();

    /// <summary>Whether HELO/EHLO/LHLO was accepted since the start or since STARTTLS.</summary>
    public bool IsGreeted { get; set; }

    public bool CanStartTls => _certificate is not null && !Context.IsTls;

    private CancellationToken ConnectionClosed => _connection.ConnectionClosed;

    public async Task RunAsync()
    {
        SmtpLog.SessionOpened(_logger, Context.ConnectionId, Context.RemoteEndPoint);
        var protocol = Options.IsLmtp ? "LMTP" : "ESMTP";
        SmtpReplyWriter.Write(_writer, 220, string.Empty, $"{Options.HostName} {protocol} Mailroom");

        try
        {
            while (!_closing)
            {
                var result = await ReadAsync();
                if (result is not { } read)
                {
                    break;
                }

                var buffer = read.Buffer;
                try
                {
                    while (!_closing && !_startTlsRequested && !buffer.IsEmpty)
                    {
                        if (_inData)
                        {
                            if (!_data.TryRead(ref buffer))
                            {
                                break;
                            }

                            _inData = false;
                            await FinishDataAsync();
                        }
                        else if (_skippingLongLine)
                        {
                            SkipRestOfLongLine(ref buffer);
                        }
                        else if (SmtpLineReader.TryReadLine(ref buffer, out var line, out var length))
                        {
                            if (length > Options.MaxCommandLineLength)
                            {
                                ReplyError(500, "5.5.2", "Line too long");
                                continue;
                            }

                            line.CopyTo(_lineBuffer);
                            await ExecuteAsync(_lineBuffer.AsMemory(0, (int)line.Length));
                            if (_delayReply)
                            {
                                // Past the soft error limit every error reply waits (Postfix's smtpd_error_sleep_time):
                                // probing slows down, and the loop is not held meanwhile.
                                _delayReply = false;
                                await Task.Delay(Options.ErrorDelay, ConnectionClosed);
                            }
                        }
                        else
                        {
                            // RFC 5321 §4.5.3.1.4: refuse rather than buffer an endless line.
                            if (buffer.Length >= Options.MaxCommandLineLength)
                            {
                                ReplyError(500, "5.5.2", "Line too long");
                                _skippingLongLine = true;
                                buffer = buffer.Slice(buffer.End);
                            }

                            break;
                        }
                    }

                    if (_startTlsRequested)
                    {
                        // RFC 3207 §5 / CVE-2011-0411: commands pipelined behind STARTTLS were sent
                        // in clear text and must not be executed inside the TLS session.
                        buffer = buffer.Slice(buffer.End);
                    }
                }
                finally
                {
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    _inputDrained = buffer.IsEmpty;
                }

                if (_startTlsRequested)
                {
                    _startTlsRequested = false;
                    if (!await StartTlsAsync())
                    {
                        return;
                    }
                }
                else if (read.IsCompleted)
                {
                    if (_inData)
                    {
                        // Nothing reaches the sink: the client never sent the final dot.
                        SmtpLog.DisconnectedDuringData(_logger, Context.ConnectionId, _data.Size);
                    }

                    return;
                }
            }

            await FlushAsync();
        }
        catch (Exception exception) when (exception is ConnectionResetException or IOException or ObjectDisposedException
            || (exception is OperationCanceledException && ConnectionClosed.IsCancellationRequested))
        {
            SmtpLog.ConnectionLost(_logger, exception, Context.ConnectionId);
        }
        finally
        {
            SmtpLog.SessionClosed(_logger, Context.ConnectionId, Context.RemoteEndPoint, _messages);
        }
    }

    public void Reply(int code, string enhancedCode, string text) =>
        SmtpReplyWriter.Write(_writer, code, enhancedCode, text);

    public void Reply(SmtpResponse response) => SmtpReplyWriter.Write(_writer, response);

    /// <summary>One line of a multi-line reply without enhanced code (the EHLO keywords, RFC 5321 §4.1.1.1).</summary>
    public void ReplyLine(int code, string text, bool isLast) =>
        SmtpReplyWriter.Write(_writer, code, string.Empty, text, isLast);

    /// <summary>
    /// A reply to a bad command. Counted: past <see cref="SmtpServerOptions.MaxErrors"/> the session is
    /// closed with 421, which stops clients stuck in a loop and slows down probing.
    /// </summary>
    public void ReplyError(int code, string enhancedCode, string text)
    {
        if (CountError())
        {
            Reply(code, enhancedCode, text);
        }
    }

    /// <summary>A refusal that counts as an error, such as a rejected recipient (address probing).</summary>
    public void ReplyError(SmtpResponse response)
    {
        if (CountError())
        {
            Reply(response);
        }
    }

    /// <summary>False when this error ended the session (its 421 is written).</summary>
    private bool CountError()
    {
        if (++_errors > Options.MaxErrors)
        {
            SmtpLog.TooManyErrors(_logger, Context.ConnectionId, _errors);
            Reply(421, "4.7.0", $"{Options.HostName} Too many errors, closing connection");
            _closing = true;
            return false;
        }

        _delayReply |= _errors > Options.SoftErrorLimit && Options.ErrorDelay > TimeSpan.Zero;
        return true;
    }

    public void RequestClose() => _closing = true;

    /// <summary>Sends 354 and switches the reader to DATA (RFC 5321 §4.1.1.4).</summary>
    public void BeginData()
    {
        Reply(354, string.Empty, "Start mail input; end with <CRLF>.<CRLF>");
        _data.Begin();
        _inData = true;
        _dataWindowEnd = Stopwatch.GetTimestamp() + _dataWindow;
        _dataWindowStartSize = 0;
    }

    /// <summary>The handshake starts once the 220 reply has been flushed.</summary>
    public void RequestStartTls() => _startTlsRequested = true;

    /// <summary>Asks the application about one recipient; its failure is the client's 451, not ours.</summary>
    public async ValueTask<SmtpResponse> CheckRecipientAsync(string recipient)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var sink = scope.ServiceProvider.GetRequiredService<ISmtpMessageSink>();
            return await sink.CheckRecipientAsync(Context, Transaction.MailFrom ?? string.Empty, recipient, ConnectionClosed);
        }
        catch (Exception exception) when (!ConnectionClosed.IsCancellationRequested)
        {
            SmtpLog.SinkFailed(_logger, exception, Context.ConnectionId);
            return SmtpResponse.TransientFailure;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _readCancellation.Dispose();
        _data.Dispose();
        ArrayPool<byte>.Shared.Return(_lineBuffer);
        if (_tls is not null)
        {
            await _reader.CompleteAsync();
            await _writer.CompleteAsync();
            await _tls.DisposeAsync();
        }
    }

    private async ValueTask<ReadResult?> ReadAsync()
    {
        var now = Stopwatch.GetTimestamp();
        if (OverLimit(now))
        {
            await FlushAsync();
            return null;
        }

        // Only skip the flush when the previous batch was fully consumed and more is already
        // here: a held partial line would make TryRead return the same bytes forever.
        if (_inputDrained && _reader.TryRead(out var ready))
        {
            return ready;
        }

        if (!await FlushAsync())
        {
            return null;
        }

        var idleEnd = now + Ticks(Options.IdleTimeout);
        while (true)
        {
            // One timer for whichever comes first: idleness, the session deadline, the end of a DATA rate window.
            var wake = Math.Min(idleEnd, _sessionEnd);
            if (_inData && Options.MinDataRate > 0)
            {
                wake = Math.Min(wake, _dataWindowEnd);
            }
            // CancelAfter takes at most 2^32-2 ms; a longer wait simply wakes up and waits again.
            _readCancellation.CancelAfter(TimeSpan.FromTicks(Math.Clamp(Stopwatch.GetElapsedTime(now, wake).Ticks, TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerDay * 40)));
            try
            {
                return await _reader.ReadAsync(_readCancellation.Token);
            }
            catch (OperationCanceledException) when (_readCancellation.IsCancellationRequested)
            {
                if (ConnectionClosed.IsCancellationRequested)
                {
                    return null;
                }

                now = Stopwatch.GetTimestamp();
                if (_stopping.IsCancellationRequested)
                {
                    SmtpLog.ShuttingDown(_logger, Context.ConnectionId);
                    Reply(421, "4.3.2", $"{Options.HostName} Service shutting down, closing connection");
                }
                else if (now >= idleEnd)
                {
                    // RFC 5321 §4.5.3.2.7 lets the server give up on an idle client.
                    SmtpLog.IdleTimeout(_logger, Context.ConnectionId, Options.IdleTimeout);
                    Reply(421, "4.4.2", $"{Options.HostName} Idle timeout, closing connection");
                }
                else if (!OverLimit(now))
                {
                    // A rate window ended with its bytes received: wait on, with a fresh token.
                    _readCancellation.Dispose();
                    _readCancellation = CancellationTokenSource.CreateLinkedTokenSource(ConnectionClosed, _stopping);
                    continue;
                }

                await FlushAsync();
                return null;
            }
            finally
            {
                _readCancellation.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>
    /// The session deadline, and in DATA the minimum rate over the window that just ended; when
    /// one is passed its 421 is written and true returned. Checked at every read, so a client that
    /// keeps sending is held to them as well as one that stalls.
    /// </summary>
    private bool OverLimit(long now)
    {
        if (now >= _sessionEnd)
        {
            SmtpLog.SessionTimedOut(_logger, Context.ConnectionId, Options.SessionTimeout);
            Reply(421, "4.4.2", $"{Options.HostName} Session time limit exceeded, closing connection");
            _closing = true;
            return true;
        }

        if (!_inData || Options.MinDataRate <= 0 || now < _dataWindowEnd)
        {
            return false;
        }

        var received = _data.Size - _dataWindowStartSize;
        if (received >= Options.MinDataRate * Options.DataRateWindow.TotalSeconds)
        {
            _dataWindowStartSize = _data.Size;
            _dataWindowEnd = now + _dataWindow;
            return false;
        }

        // Slowloris: the partial message is dropped, the client may retry at a decent speed.
        SmtpLog.DataTooSlow(_logger, Context.ConnectionId, Options.MinDataRate, _data.Size);
        _data.Reset();
        Reply(421, "4.4.2", $"{Options.HostName} Data rate too slow, closing connection");
        _closing = true;
        return true;
    }

    private static long Ticks(TimeSpan span) =>
        span >= TimeSpan.FromDays(3650) ? long.MaxValue / 4 : (long)(span.TotalSeconds * Stopwatch.Frequency);

    private async ValueTask<bool> FlushAsync()
    {
        var result = await _writer.FlushAsync(ConnectionClosed);
        return !result.IsCompleted && !result.IsCanceled;
    }

    private void SkipRestOfLongLine(ref ReadOnlySequence<byte> buffer)
    {
        var lineFeed = buffer.PositionOf((byte)'\n');
        if (lineFeed is null)
        {
            buffer = buffer.Slice(buffer.End);
            return;
        }

        buffer = buffer.Slice(buffer.GetPosition(1, lineFeed.Value));
        _skippingLongLine = false;
    }

    private async ValueTask ExecuteAsync(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        var space = span.IndexOf((byte)' ');
        var verb = space < 0 ? span : span[..space];
        if (span.IndexOfAny(ForbiddenInCommand) >= 0 || !System.Text.Unicode.Utf8.IsValid(span))
        {
            // NUL and other controls, or bytes that are not UTF-8 (RFC 6531 allows only UTF-8):
            // refused before any of it can reach a log line or a database column.
            ReplyError(501, "5.5.2", "Invalid character in command");
            return;
        }

        var command = SmtpCommandTable.Find(verb);
        if (command is null)
        {
            ReplyError(500, "5.5.1", "Command unrecognized");
            return;
        }

        var arguments = space < 0 ? ReadOnlyMemory<byte>.Empty : TrimSpaces(line[(space + 1)..]);
        await command.ExecuteAsync(this, arguments);
    }

    private static ReadOnlyMemory<byte> TrimSpaces(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        var start = 0;
        var end = span.Length;
        while (start < end && span[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        while (end > start && span[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return bytes[start..end];
    }

    /// <summary>Decodes command arguments; RFC 6531 lets addresses be UTF-8.</summary>
    public static string Decode(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private async ValueTask FinishDataAsync()
    {
        var recipients = Transaction.Recipients.Count;
        try
        {
            if (_data.TooLarge)
            {
                // RFC 1870 §6.3: the size limit is reported after the final dot.
                ReplyToData(new SmtpResponse(552, "5.3.4", "Message size exceeds fixed maximum message size"));
                return;
            }

            if (!_data.TryFinishSpool() || _data.SpoolFailed)
            {
                // RFC 3463: 4.3.1, mail system full; the client keeps the message and retries.
                ReplyToData(new SmtpResponse(452, "4.3.1", "Insufficient system storage"));
                return;
            }

            if (_data.LineTooLong)
            {
                // No registered enhanced code means "line too long" in DATA; 5.6.0 (media error)
                // with 554 (transaction failed) tells the client not to retry the same content.
                ReplyToData(new SmtpResponse(554, "5.6.0", "Message line too long"));
                return;
            }

            IReadOnlyList<SmtpResponse> responses;
            var message = _data.Message;
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var sink = scope.ServiceProvider.GetRequiredService<ISmtpMessageSink>();
                responses = await sink.DeliverAsync(Context, Transaction.ToEnvelope(), message, ConnectionClosed);
            }
            catch (Exception exception) when (!ConnectionClosed.IsCancellationRequested)
            {
                SmtpLog.SinkFailed(_logger, exception, Context.ConnectionId);
                responses = [];
            }

            _messages++;
            var accepted = 0;
            if (Options.IsLmtp)
            {
                // RFC 2033 §4.2: one reply per accepted recipient, in RCPT order.
                for (var i = 0; i < recipients; i++)
                {
                    var response = i < responses.Count ? responses[i] : SmtpResponse.TransientFailure;
                    accepted += response.IsPositive ? 1 : 0;
                    Reply(response);
                }
            }
            else
            {
                var response = responses.FirstOrDefault(r => !r.IsPositive)
                    ?? (responses.Count > 0 ? responses[0] : SmtpResponse.TransientFailure);
                accepted = response.IsPositive ? recipients : 0;
                Reply(response);
            }

            SmtpLog.MessageDelivered(_logger, Context.ConnectionId, message.Length, accepted, recipients);
        }
        finally
        {
            Transaction.Reset();
            _data.Reset();
        }
    }

    /// <summary>A verdict on the whole message: LMTP still owes one reply per recipient (RFC 2033 §4.2).</summary>
    private void ReplyToData(SmtpResponse response)
    {
        SmtpLog.MessageRefused(_logger, Context.ConnectionId, _data.Size, response.Code, response.EnhancedCode);
        var count = Options.IsLmtp ? Transaction.Recipients.Count : 1;
        for (var i = 0; i < count; i++)
        {
            Reply(response);
        }
    }

    private async ValueTask<bool> StartTlsAsync()
    {
        if (!await FlushAsync())
        {
            return false;
        }

        var tls = new SslStream(new DuplexPipeStream(_connection.Transport), leaveInnerStreamOpen: false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ConnectionClosed, _stopping);
            timeout.CancelAfter(Options.IdleTimeout);
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificateContext = _certificate },
                timeout.Token);
        }
        catch (Exception exception)
        {
            // The state of the clear-text channel is unknown after a failed handshake: hang up.
            SmtpLog.TlsHandshakeFailed(_logger, exception, Context.ConnectionId);
            await tls.DisposeAsync();
            return false;
        }

        _tls = tls;
        _reader = PipeReader.Create(tls, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true));
        _inputDrained = true;

        // RFC 3207 §4.2: forget everything learnt before TLS, the client must greet again.
        Context.IsTls = true;
        Context.HeloName = null;
        IsGreeted = false;
        Transaction.Reset();
        SmtpLog.TlsStarted(_logger, Context.ConnectionId, tls.SslProtocol);
        return true;
    }
}
