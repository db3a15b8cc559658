using System.Threading.Channels;
using Mailroom.Storage;

namespace Mailroom.Inbound;

/// <summary>
/// Commits accepted messages in groups: every session waiting at the same moment shares one
/// database transaction (group commit), so twenty concurrent clients cost one fsync, not twenty.
/// A session gets its 250 only after its raw bytes are synced and the transaction holding its row
/// has committed.
/// </summary>
public sealed partial class IntakeWriter(IServiceScopeFactory scopes, BlobStore blobs, ProcessorSignal signal, ILogger<IntakeWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public Task CommitAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var pending = new Pending(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The intake is shutting down.");
        }
        return pending.Done.Task.WaitAsync(cancellationToken);
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
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.InboundMessages.AddRange(batch.Select(p => p.Message));
            await db.SaveChangesAsync(stoppingToken);
            foreach (var p in batch)
            {
                p.Done.TrySetResult();
            }
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

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Committed {Count} accepted messages")]
    private partial void LogCommitted(int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Could not commit {Count} accepted messages; their senders get 451 and will retry")]
    private partial void LogCommitFailed(Exception exception, int count);

    private sealed record Pending(InboundMessage Message, TaskCompletionSource Done);
}
