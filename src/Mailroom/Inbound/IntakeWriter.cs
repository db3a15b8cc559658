using System.Threading.Channels;
using Mailroom.Storage;

namespace Mailroom.Inbound;

/// <summary>
/// Commits accepted messages in groups: every session waiting at the same moment shares one
/// database transaction (group commit), so twenty concurrent clients cost one fsync, not twenty.
/// A session gets its 250 only after its raw bytes are synced and the transaction holding its row
/// has committed.
/// </summary>
public sealed partial class IntakeWriter(DirectDb direct, BlobStore blobs, WriteGate gate, ProcessorSignal signal, IntakeActivity activity, ILogger<IntakeWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public Task CommitAsync(InboundMessage message)
    {
        // No RunContinuationsAsynchronously: the writer itself resumes each session of the batch
        // right after the commit, so the 250 goes out without a hop through the thread pool. A
        // session's continuation only writes its reply and waits for its next command.
        var pending = new Pending(message, new TaskCompletionSource());
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The intake is shutting down.");
        }
        // Not cancellable on purpose: every queued message is committed or failed within one batch,
        // and a session must not be told "failed" about a message that is then committed.
        return pending.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                await CommitBatchAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                left.Done.TrySetException(new InvalidOperationException("The intake is shutting down."));
            }
        }
    }

    private async Task CommitBatchAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        try
        {
            // The batch's raw messages were written unflushed by their sessions: one sync makes them all durable.
            blobs.Sync();
            using (await gate.EnterAsync(stoppingToken))
            {
                await direct.RunAsync(lane => InsertAsync(lane, batch, stoppingToken));
            }
            foreach (var p in batch)
            {
                p.Done.TrySetResult();
            }
            activity.Committed(batch.Count);
            LogCommitted(batch.Count);
            signal.Notify();
        }
        catch (Exception ex)
        {
            LogCommitFailed(ex, batch.Count);
            foreach (var p in batch)
            {
                p.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>The batch's rows, in one transaction, with a statement prepared once per connection.</summary>
    private async Task<bool> InsertAsync(DirectDb.Lane lane, List<Pending> batch, CancellationToken cancellationToken)
    {
        _insertSql ??= BuildInsert();
        await using var transaction = await lane.Connection.BeginTransactionAsync(cancellationToken);
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
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
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

    private sealed record Pending(InboundMessage Message, TaskCompletionSource Done);
}
