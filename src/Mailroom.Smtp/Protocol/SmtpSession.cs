using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Text;
using Mailroom.Smtp.Commands;
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
    private readonly ConnectionContext _connection;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;
    private readonly SslStreamCertificateContext? _certificate;
    private readonly CancellationToken _stopping;
    private readonly byte[] _lineBuffer;
    private readonly SmtpDataReader _data;
    private readonly CancellationTokenSource _readCancellation;

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
        CancellationToken stopping)
    {
        _connection = connection;
        Options = options;
        _scopes = scopes;
        _logger = logger;
        _certificate = certificate;
        _stopping = stopping;
        _reader = connection.Transport.Input;
        _writer = connection.Transport.Output;
        _lineBuffer = ArrayPool<byte>.Shared.Rent(options.MaxCommandLineLength);
        _data = new SmtpDataReader(options.MaxMessageSize, options.MaxDataLineLength);
        _readCancellation = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, stopping);
        Context = new SmtpSessionContext
        {
            ConnectionId = connection.ConnectionId,
            RemoteEndPoint = connection.RemoteEndPoint,
            IsLmtp = options.IsLmtp,
        };
    }

    public SmtpServerOptions Options { get; }

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
        if (++_errors > Options.MaxErrors)
        {
            SmtpLog.TooManyErrors(_logger, Context.ConnectionId, _errors);
            Reply(421, "4.7.0", $"{Options.HostName} Too many errors, closing connection");
            _closing = true;
            return;
        }

        Reply(code, enhancedCode, text);
    }

    public void RequestClose() => _closing = true;

    /// <summary>Sends 354 and switches the reader to DATA (RFC 5321 §4.1.1.4).</summary>
    public void BeginData()
    {
        Reply(354, string.Empty, "Start mail input; end with <CRLF>.<CRLF>");
        _data.Begin();
        _inData = true;
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

        _readCancellation.CancelAfter(Options.IdleTimeout);
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

            if (_stopping.IsCancellationRequested)
            {
                SmtpLog.ShuttingDown(_logger, Context.ConnectionId);
                Reply(421, "4.3.2", $"{Options.HostName} Service shutting down, closing connection");
            }
            else
            {
                // RFC 5321 §4.5.3.2.7 lets the server give up on an idle client.
                SmtpLog.IdleTimeout(_logger, Context.ConnectionId, Options.IdleTimeout);
                Reply(421, "4.4.2", $"{Options.HostName} Idle timeout, closing connection");
            }

            await FlushAsync();
            return null;
        }
        finally
        {
            _readCancellation.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

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

            if (_data.LineTooLong)
            {
                // No registered enhanced code means "line too long" in DATA; 5.6.0 (media error)
                // with 554 (transaction failed) tells the client not to retry the same content.
                ReplyToData(new SmtpResponse(554, "5.6.0", "Message line too long"));
                return;
            }

            IReadOnlyList<SmtpResponse> responses;
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var sink = scope.ServiceProvider.GetRequiredService<ISmtpMessageSink>();
                responses = await sink.DeliverAsync(Context, Transaction.ToEnvelope(), _data.Message, ConnectionClosed);
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

            SmtpLog.MessageDelivered(_logger, Context.ConnectionId, _data.Message.Length, accepted, recipients);
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
