using Mailroom.Storage;

namespace Mailroom.Inbound;

/// <summary>
/// Commits accepted messages in groups: every session waiting at the same moment shares one
/// database transaction (group commit), so twenty concurrent clients cost one fsync, not twenty.
/// A session gets its 250 only after its raw bytes are synced and the transaction holding its row
/// has committed.
/// </summary>
/// <remarks>
/// One dedicated thread, because the commit is what bounds the accept rate (bench/RESULTS.md): it
/// inserts and commits with synchronous ADO.NET calls, then resumes the sessions of the batch
/// (each sends its 250 right there) while the next batch gathers. It never waits for the thread
/// pool. A separate thread for the acknowledgements overlapped them with the next commit, but on a
/// small server the extra wake-ups cost more than that saved (session 4: 9,452 against 10,684
/// messages/s at 2 KB / 20 sessions, 111 against 94 µs of CPU per message).
/// </remarks>
public sealed partial class IntakeWriter(DirectDb direct, BlobStore blobs, WriteGate gate, ProcessorSignal signal, IntakeActivity activity, IHostApplicationLifetime lifetime, ILogger<IntakeWriter> logger) : IHostedService, IDisposable
{
    private const int MaxBatch = 256;
    private readonly HandOff<Pending> _queue = new();
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _commitThread;

    public Task CommitAsync(InboundMessage message)
    {
        // No RunContinuationsAsynchronously: the commit thread resumes each session of the batch
        // itself, so the 250 goes out without a hop through the thread pool. A session's
        // continuation only writes its reply and waits for its next command.
        var pending = new Pending(message, new TaskCompletionSource());
        if (!_queue.TryAdd(pending))
        {
            throw new InvalidOperationException("The intake is shutting down.");
        }
        // Not cancellable on purpose: every queued message is committed or failed within one batch,
        // and a session must not be told "failed" about a message that is then committed.
        return pending.Done.Task;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _commitThread = new Thread(CommitLoop) { IsBackground = true, Name = "Intake commit" };
        _commitThread.UnsafeStart();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // New mail is refused from now on (the session answers 451); what is queued is still committed.
        _queue.Complete();
        var threads = Task.Run(() => _commitThread?.Join(), CancellationToken.None);
        try
        {
            await threads.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Out of time: a commit in progress is abandoned; its messages were never acknowledged.
            await _stopping.CancelAsync();
            await threads;
        }
    }

    private void CommitLoop()
    {
        try
        {
            while (_queue.TakeAll(MaxBatch, out var batch))
            {
                Commit(batch);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Commit failures are handled per batch; this is a bug. Stop, so a supervisor restarts
            // the server (and the queue below is answered 451) rather than leaving a listener that refuses everything.
            LogCommitLoopFailed(ex);
            lifetime.StopApplication();
        }
        finally
        {
            _queue.Complete();
            while (_queue.TakeAll(MaxBatch, out var left))
            {
                foreach (var p in left)
                {
                    p.Done.TrySetException(new InvalidOperationException("The intake is shutting down."));
                }
            }
        }
    }

    private void Commit(List<Pending> batch)
    {
        try
        {
            // The batch's raw messages were written unflushed by their sessions: one sync makes them all durable.
            blobs.Sync();
            using (gate.Enter(_stopping.Token))
            {
                direct.Run(lane => Insert(lane, batch));
            }
        }
        catch (Exception ex) when (batch.Count > 1 && !_stopping.IsCancellationRequested)
        {
            // One bad row (a value the database refuses) must not cost the whole batch its 250s:
            // each message is tried alone, and only those that fail again get their 451.
            LogBatchRetried(ex, batch.Count);
            CommitOneByOne(batch);
            return;
        }
        catch (Exception ex)
        {
            LogCommitFailed(ex, batch.Count);
            foreach (var p in batch)
            {
                p.Done.TrySetException(ex);
            }
            if (ex is OperationCanceledException && _stopping.IsCancellationRequested)
            {
                throw;
            }
            return;
        }
        activity.Committed(batch.Count);
        LogCommitted(batch.Count);
        signal.Notify();
        Acknowledge(batch);
    }

    /// <summary>The batch again, one transaction per message: slow, but only after a batch failed.</summary>
    private void CommitOneByOne(List<Pending> batch)
    {
        var committed = new List<Pending>(batch.Count);
        foreach (var p in batch)
        {
            try
            {
                using (gate.Enter(_stopping.Token))
                {
                    List<Pending> one = [p];
                    direct.Run(lane => Insert(lane, one));
                }
                committed.Add(p);
            }
            catch (Exception ex)
            {
                LogCommitFailed(ex, 1);
                p.Done.TrySetException(ex);
                if (ex is OperationCanceledException && _stopping.IsCancellationRequested)
                {
                    throw;
                }
            }
        }
        if (committed.Count > 0)
        {
            activity.Committed(committed.Count);
            signal.Notify();
            Acknowledge(committed);
        }
    }

    /// <summary>Resumes the batch's sessions, each of which sends its 250 on this thread.</summary>
    private void Acknowledge(List<Pending> batch)
    {
        foreach (var p in batch)
        {
            try
            {
                p.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                // A session's continuation runs here; whatever it does wrong must not stop the other sessions' 250s.
                LogAckFailed(ex);
            }
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
    }

    /// <summary>The batch's rows, in one transaction, with a statement prepared once per connection.</summary>
    private bool Insert(DirectDb.Lane lane, List<Pending> batch)
    {
        _insertSql ??= BuildInsert();
        using var transaction = lane.Connection.BeginTransaction();
        foreach (var p in batch)
        {
            var command = lane.Command(_insertSql, transaction);
            var m = p.Message;
            Bind(command, nameof(InboundMessage.Id), m.Id);
            Bind(command, nameof(InboundMessage.ReceivedAt), m.ReceivedAt);
            Bind(command, nameof(InboundMessage.BlobHash), m.BlobHash);
            Bind(command, nameof(InboundMessage.Size), m.Size);
            Bind(command, nameof(InboundMessage.Raw), m.Raw);
            Bind(command, nameof(InboundMessage.MailFrom), m.MailFrom);
            Bind(command, nameof(InboundMessage.Recipients), m.Recipients);
            Bind(command, nameof(InboundMessage.RemoteAddress), m.RemoteAddress);
            Bind(command, nameof(InboundMessage.Helo), m.Helo);
            Bind(command, nameof(InboundMessage.Status), m.Status);
            Bind(command, nameof(InboundMessage.Attempts), m.Attempts);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        return true;
    }

    private static readonly string[] InsertedColumns =
    [
        nameof(InboundMessage.Id), nameof(InboundMessage.ReceivedAt), nameof(InboundMessage.BlobHash), nameof(InboundMessage.Size),
        nameof(InboundMessage.Raw), nameof(InboundMessage.MailFrom), nameof(InboundMessage.Recipients), nameof(InboundMessage.RemoteAddress),
        nameof(InboundMessage.Helo), nameof(InboundMessage.Status), nameof(InboundMessage.Attempts),
    ];

    private string? _insertSql;

    private string BuildInsert() =>
        $"INSERT INTO {direct.Table<InboundMessage>()} ({string.Join(", ", InsertedColumns.Select(direct.Column<InboundMessage>))}) " +
        $"VALUES ({string.Join(", ", InsertedColumns.Select(c => "@" + c))})";

    private void Bind(System.Data.Common.DbCommand command, string property, object? value) =>
        direct.Bind<InboundMessage>(command, "@" + property, property, value);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Committed {Count} accepted messages")]
    private partial void LogCommitted(int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Could not commit {Count} accepted messages; their senders get 451 and will retry")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Could not commit a batch of {Count} accepted messages; committing them one by one")]
    private partial void LogBatchRetried(Exception exception, int count);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "A session failed while being told its message was committed")]
    private partial void LogAckFailed(Exception exception);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Critical, Message = "The intake's commit thread failed; stopping the server")]
    private partial void LogCommitLoopFailed(Exception exception);

    private sealed record Pending(InboundMessage Message, TaskCompletionSource Done);
}
