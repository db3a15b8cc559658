using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Mailroom.Smtp.Transport;

/// <summary>
/// The endpoint of a listener served by <see cref="EventLoopTransportFactory"/>: an
/// <see cref="IPEndPoint"/> that Kestrel's own socket transport never sees, because this factory
/// is asked first and claims only endpoints of this type.
/// </summary>
public sealed class EventLoopIPEndPoint(IPAddress address, int port) : IPEndPoint(address, port);

/// <summary>
/// A Kestrel transport for the mail listener (Linux): a few threads wait in <c>epoll_wait(2)</c>
/// on every mail connection, read what arrived and run the connection handler inline (pipes with
/// inline schedulers); replies are sent by whichever thread flushes them. An SMTP client that does
/// not pipeline waits for each reply before its next command, so with Kestrel's socket transport
/// every round trip went through an epoll thread, the thread pool and an I/O queue; here a loop
/// thread that is kept busy by twenty sessions seldom sleeps at all, the way Postfix's smtp-sink
/// serves them (bench/RESULTS.md). HTTP keeps Kestrel's socket transport.
/// </summary>
public sealed class EventLoopTransportFactory(ILoggerFactory loggers) : IConnectionListenerFactory, IConnectionListenerFactorySelector, IDisposable
{
    // Linux values (the transport is Linux only).
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    private readonly Lock _lock = new();
    private EventLoop[]? _loops;
    private int _next;

    /// <summary>Whether this machine can run the transport (epoll is Linux's).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    public bool CanBind(EndPoint endpoint) => endpoint is EventLoopIPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not EventLoopIPEndPoint ip)
        {
            throw new NotSupportedException($"{endpoint} is not an endpoint of the event-loop transport.");
        }
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            // Like Kestrel: a restarted server binds at once while old connections sit in TIME_WAIT.
            // SO_REUSEADDR alone, set raw: .NET's ReuseAddress also sets SO_REUSEPORT on Linux, which
            // lets a second server bind the same port and silently take half of its connections.
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            socket.Bind(ip);
            socket.Listen(512);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(ex.Message, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        var logger = loggers.CreateLogger<EventLoopTransportFactory>();
        lock (_lock)
        {
            // Enough loops to keep the cores that are not committing busy; one on a small machine.
            _loops ??= Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount / 4)).Select(i => new EventLoop(i, logger)).ToArray();
        }
        return ValueTask.FromResult<IConnectionListener>(new Listener(this, socket, new EventLoopIPEndPoint(bound.Address, bound.Port), logger));
    }

    private EventLoop NextLoop()
    {
        var loops = _loops!;
        return loops[(int)((uint)Interlocked.Increment(ref _next) % loops.Length)];
    }

    public void Dispose()
    {
        foreach (var loop in _loops ?? [])
        {
            loop.Dispose();
        }
    }

    private sealed class Listener(EventLoopTransportFactory factory, Socket socket, EndPoint endpoint, ILogger logger) : IConnectionListener
    {
        private long _next;

        public EndPoint EndPoint { get; } = endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                try
                {
                    var accepted = await socket.AcceptAsync(cancellationToken);
                    accepted.NoDelay = true;
                    accepted.Blocking = false;
                    var connection = new EventLoopConnection(accepted, $"smtp-{Interlocked.Increment(ref _next)}", factory.NextLoop(), logger);
                    connection.Start();
                    return connection;
                }
                catch (ObjectDisposedException)
                {
                    return null;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted)
                {
                    return null;
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
                catch (SocketException ex)
                {
                    // A connection reset before it was accepted: keep listening.
                    EventLoopLog.AcceptFailed(logger, ex);
                }
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>One thread waiting in epoll_wait(2) for the connections it was given.</summary>
internal sealed partial class EventLoop : IDisposable
{
    internal const uint EpollIn = 0x001;
    internal const uint EpollOut = 0x004;
    /// <summary>EPOLLERR | EPOLLHUP: reported even when not asked for.</summary>
    internal const uint EpollHangUp = 0x008 | 0x010;
    private const int CtlAdd = 1;
    private const int CtlDel = 2;
    private const int CtlMod = 3;
    private const int MaxEvents = 256;
    private const int EINTR = 4;

    // struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = EventSize == 12 ? 4 : 8;

    private readonly int _epoll;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, EventLoopConnection> _connections = new();
    private volatile bool _stopping;
    private long _nextId;

    public EventLoop(int index, ILogger logger)
    {
        _logger = logger;
        _epoll = EpollCreate1(0x80000 /* EPOLL_CLOEXEC */);
        if (_epoll < 0)
        {
            throw new IOException($"epoll_create1 failed with errno {Marshal.GetLastPInvokeError()}.");
        }
        new Thread(Run) { IsBackground = true, Name = $"SMTP loop {index}" }.UnsafeStart();
    }

    public long Add(EventLoopConnection connection, int fd)
    {
        var id = Interlocked.Increment(ref _nextId);
        _connections[id] = connection;
        Control(CtlAdd, fd, EpollIn, id);
        return id;
    }

    public void Modify(int fd, uint events, long id) => Control(CtlMod, fd, events, id);

    public void Remove(int fd, long id)
    {
        _connections.TryRemove(id, out _);
        Control(CtlDel, fd, 0, id);
    }

    private unsafe void Control(int op, int fd, uint events, long id)
    {
        var ev = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(ev, 4), events);
        *(long*)(ev + DataOffset) = id;
        if (EpollCtl(_epoll, op, fd, ev) != 0 && op != CtlDel)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
    }

    private unsafe void Run()
    {
        var buffer = new byte[MaxEvents * EventSize];
        fixed (byte* events = buffer)
        {
            while (!_stopping)
            {
                // A timeout only so that Dispose is noticed; every connection's events wake the loop.
                var count = EpollWait(_epoll, events, MaxEvents, 500);
                if (count < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EINTR)
                    {
                        continue;
                    }
                    EventLoopLog.LoopFailed(_logger, Marshal.GetLastPInvokeError());
                    Thread.Sleep(10);
                    continue;
                }
                if (count == 0)
                {
                    continue;
                }
                for (var i = 0; i < count; i++)
                {
                    var ev = events + i * EventSize;
                    var flags = *(uint*)ev;
                    var id = *(long*)(ev + DataOffset);
                    if (!_connections.TryGetValue(id, out var connection))
                    {
                        continue; // removed after this batch of events was collected
                    }
                    try
                    {
                        connection.OnEvents(flags);
                    }
                    catch (Exception ex)
                    {
                        // The handler runs inline and catches its own failures; this is the loop's last guard.
                        EventLoopLog.EventFailed(_logger, ex, connection.ConnectionId);
                        connection.Abort(new ConnectionAbortedException("The mail connection failed.", ex));
                    }
                }
            }
        }
        Close(_epoll);
    }

    public void Dispose()
    {
        _stopping = true;
    }

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static unsafe partial int EpollCtl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static unsafe partial int EpollWait(int epfd, byte* events, int maxEvents, int timeout);
}

/// <summary>
/// One accepted, non-blocking socket. Its loop reads it and flushes the input pipe, which runs
/// the connection handler inline; the handler's flushes send inline. When the handler falls behind
/// (input pipe full) the loop stops watching the socket until it catches up, so TCP slows the
/// client; when the client does not read its replies, the sender waits for the socket to drain.
/// </summary>
internal sealed class EventLoopConnection : ConnectionContext, IConnectionLifetimeFeature, IConnectionEndPointFeature, IConnectionIdFeature, IConnectionItemsFeature, IConnectionTransportFeature
{
    private static readonly PipeOptions InputOptions = new(
        pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024,
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);
    private static readonly PipeOptions OutputOptions = new(
        pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024,
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    private readonly Socket _socket;
    private readonly int _fd;
    private readonly EventLoop _loop;
    private readonly ILogger _logger;
    private readonly Pipe _input = new(InputOptions);
    private readonly Pipe _output = new(OutputOptions);
    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _interestLock = new();
    private Task _sender = Task.CompletedTask;
    private long _id;
    private volatile bool _readPaused;
    private volatile bool _inputDone;
    private volatile bool _peerGone;
    private bool _registered;
    private TaskCompletionSource? _writable;
    private int _aborted;

    public EventLoopConnection(Socket socket, string id, EventLoop loop, ILogger logger)
    {
        _socket = socket;
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        _loop = loop;
        _logger = logger;
        ConnectionId = id;
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        ConnectionClosed = _closed.Token;
        Features.Set<IConnectionLifetimeFeature>(this);
        Features.Set<IConnectionEndPointFeature>(this);
        Features.Set<IConnectionIdFeature>(this);
        Features.Set<IConnectionItemsFeature>(this);
        Features.Set<IConnectionTransportFeature>(this);
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    internal void Start()
    {
        _sender = SendLoopAsync();
        lock (_interestLock)
        {
            _id = _loop.Add(this, _fd);
            _registered = true;
        }
    }

    /// <summary>On the loop thread: the socket is readable (or closed, or writable again).</summary>
    internal void OnEvents(uint events)
    {
        if ((events & EventLoop.EpollOut) != 0)
        {
            TaskCompletionSource? writable;
            lock (_interestLock)
            {
                writable = _writable;
                _writable = null;
                UpdateInterest();
            }
            writable?.TrySetResult();
        }
        if ((events & EventLoop.EpollHangUp) != 0 && _readPaused)
        {
            // Reported whatever the interest, so stop watching; the receive after the pause sees the end.
            _peerGone = true;
            Unregister();
            CancelClosed();
            return;
        }
        if ((events & (EventLoop.EpollIn | EventLoop.EpollHangUp)) != 0 && !_inputDone && !_readPaused)
        {
            Receive();
        }
    }

    private void Receive()
    {
        var writer = _input.Writer;
        int received;
        SocketError error;
        try
        {
            received = _socket.Receive(writer.GetMemory(16 * 1024).Span, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        if (error == SocketError.WouldBlock)
        {
            return;
        }
        if (error != SocketError.Success || received == 0)
        {
            var peerReset = error != SocketError.Success && Volatile.Read(ref _aborted) == 0;
            EndInput(peerReset ? new ConnectionResetException($"The client reset the connection ({error}).") : null);
            return;
        }
        writer.Advance(received);
        var flush = writer.FlushAsync();
        if (flush.IsCompleted)
        {
            if (flush.Result.IsCompleted)
            {
                EndInput(null); // the handler is done reading
            }
            return;
        }
        // The handler has not caught up: stop reading until it has.
        lock (_interestLock)
        {
            _readPaused = true;
            UpdateInterest();
        }
        _ = ResumeAfterAsync(flush);
    }

    private async Task ResumeAfterAsync(ValueTask<FlushResult> flush)
    {
        FlushResult result;
        try
        {
            result = await flush;
        }
        catch (Exception)
        {
            result = new FlushResult(isCanceled: false, isCompleted: true);
        }
        if (result.IsCompleted || _peerGone)
        {
            EndInput(_peerGone ? new ConnectionResetException("The client closed the connection.") : null);
            return;
        }
        lock (_interestLock)
        {
            _readPaused = false;
            UpdateInterest();
        }
    }

    private void Unregister()
    {
        TaskCompletionSource? writable;
        lock (_interestLock)
        {
            if (_registered)
            {
                _registered = false;
                _loop.Remove(_fd, _id);
            }
            writable = _writable;
            _writable = null;
        }
        // A send waiting for room finds the connection unregistered and gives up.
        writable?.TrySetResult();
    }

    private void EndInput(Exception? error)
    {
        lock (_interestLock)
        {
            _inputDone = true;
            UpdateInterest();
        }
        _input.Writer.Complete(error);
        CancelClosed();
    }

    /// <summary>What the loop watches: reading unless paused or done, writing while a send waits. Caller holds the lock.</summary>
    private void UpdateInterest()
    {
        if (!_registered)
        {
            return;
        }
        var events = (_inputDone || _readPaused ? 0u : EventLoop.EpollIn) | (_writable is null ? 0u : EventLoop.EpollOut);
        if (events == 0 && _inputDone)
        {
            // Nothing more to read and no send waiting: an end-of-stream socket would otherwise keep reporting hang-ups.
            _registered = false;
            _loop.Remove(_fd, _id);
            return;
        }
        try
        {
            _loop.Modify(_fd, events, _id);
        }
        catch (SocketException)
        {
            // The socket is already closed; the next send or receive reports it.
        }
    }

    /// <summary>Sends what the handler flushed, on the flushing thread; waits for the loop when the client is not reading.</summary>
    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    var remaining = segment;
                    while (!remaining.IsEmpty)
                    {
                        var sent = _socket.Send(remaining.Span, SocketFlags.None, out var error);
                        if (error == SocketError.WouldBlock)
                        {
                            await WritableAsync();
                            continue;
                        }
                        if (error != SocketError.Success)
                        {
                            throw new SocketException((int)error);
                        }
                        remaining = remaining[sent..];
                    }
                }
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
            await reader.CompleteAsync();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client is gone: the handler's next flush sees a completed reader.
            await reader.CompleteAsync(new ConnectionResetException(ex.Message, ex));
            CancelClosed();
        }
    }

    private Task WritableAsync()
    {
        lock (_interestLock)
        {
            if (!_registered)
            {
                throw new ObjectDisposedException(nameof(EventLoopConnection));
            }
            _writable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            UpdateInterest();
            return _writable.Task;
        }
    }

    private void CancelClosed()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }
        _output.Reader.CancelPendingRead();
        try
        {
            // The loop sees the socket readable (end of stream) and completes the input.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        CancelClosed();
    }

    public override async ValueTask DisposeAsync()
    {
        // The handler has returned: stop feeding it, send what it wrote last, then close.
        await _input.Reader.CompleteAsync();
        await _output.Writer.CompleteAsync();
        await _sender;
        Interlocked.Exchange(ref _aborted, 1);
        _inputDone = true;
        Unregister();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        // The input pipe's writer is left to the loop, which may still be in a receive for this
        // socket: it finds the socket disposed and stops.
        _socket.Dispose();
        CancelClosed();
        _closed.Dispose();
    }

    // The features Kestrel and middleware look up on a transport connection.
    CancellationToken IConnectionLifetimeFeature.ConnectionClosed { get => ConnectionClosed; set => ConnectionClosed = value; }
    void IConnectionLifetimeFeature.Abort() => Abort(new ConnectionAbortedException("The connection was aborted by the application."));
    EndPoint? IConnectionEndPointFeature.LocalEndPoint { get => LocalEndPoint; set => LocalEndPoint = value; }
    EndPoint? IConnectionEndPointFeature.RemoteEndPoint { get => RemoteEndPoint; set => RemoteEndPoint = value; }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

internal static partial class EventLoopLog
{
    [LoggerMessage(EventId = 2301, Level = LogLevel.Debug, Message = "Accepting a mail connection failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Error, Message = "epoll_wait failed with errno {Errno}")]
    public static partial void LoopFailed(ILogger logger, int errno);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Error, Message = "Mail connection {ConnectionId} failed in its event loop; it was closed")]
    public static partial void EventFailed(ILogger logger, Exception exception, string connectionId);
}
