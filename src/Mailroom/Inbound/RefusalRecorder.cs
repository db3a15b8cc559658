using System.Net;
using System.Threading.Channels;
using Mailroom.Smtp;
using Mailroom.Storage;
using Microsoft.Extensions.Options;

namespace Mailroom.Inbound;

/// <summary>
/// Records recipients refused at RCPT for the inbound log, off the session's path: the session
/// only offers the refusal to a bounded queue and never waits. One writer drains the queue in
/// batches, folds repeats into one row (<see cref="RefusalStore"/>) and keeps the table within
/// its retention and count. A full queue drops refusals and says how many, once per batch.
/// </summary>
public sealed partial class RefusalRecorder(IServiceScopeFactory scopes, WriteGate gate, IOptions<InboundOptions> options, TimeProvider clock, ILogger<RefusalRecorder> logger) : BackgroundService
{
    private const int Capacity = 10_000;
    private const int MaxBatch = 1_000;

    private readonly Channel<RefusedRecipient> _queue = Channel.CreateBounded<RefusedRecipient>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private long _dropped;

    /// <summary>Offers a refusal to the writer; never blocks, never throws, never touches the database.</summary>
    public void Record(SmtpSessionContext session, string mailFrom, string recipient, RefusalReason reason, SmtpResponse response)
    {
        var refused = new RefusedRecipient(
            Cap(recipient.ToLowerInvariant(), 512), Cap(mailFrom, 512), (session.RemoteEndPoint as IPEndPoint)?.Address.ToString(),
            reason, response.Code, Cap(response.EnhancedCode, 16), Cap(response.Text, 1000), clock.GetUtcNow());
        if (!_queue.Writer.TryWrite(refused))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var store = new RefusalStore(options.Value, clock);
        var batch = new List<RefusedRecipient>(MaxBatch);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Wakes for new refusals, and at least once per prune interval so old rows go even when nothing is refused.
                using (var wait = new CancellationTokenSource(store.PruneInterval, clock))
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(wait.Token, stoppingToken))
                {
                    await ((Task)_queue.Reader.WaitToReadAsync(linked.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                stoppingToken.ThrowIfCancellationRequested();
                await WriteAsync(store, batch, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The batch is lost (it is a log, not mail); the next one is tried afresh.
                LogWriteFailed(ex, batch.Count);
                batch.Clear();
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        // What was refused just before the stop is still written, if that is quick.
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(2), clock);
        try
        {
            await WriteAsync(store, batch, last.Token);
        }
        catch (Exception ex)
        {
            LogWriteFailed(ex, batch.Count);
        }
    }

    private async Task WriteAsync(RefusalStore store, List<RefusedRecipient> batch, CancellationToken cancellationToken)
    {
        batch.Clear();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var refused))
        {
            batch.Add(refused);
        }
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            LogDropped(dropped);
        }
        if (batch.Count == 0 && !store.PruneDue)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        // SQLite has one writer: take turns with the intake and the processor rather than sleep in its busy handler.
        using (await gate.EnterAsync(cancellationToken))
        {
            if (batch.Count > 0)
            {
                await store.AddAsync(db, batch, cancellationToken);
            }
            if (store.PruneDue)
            {
                var removed = await store.PruneAsync(db, cancellationToken);
                if (removed > 0)
                {
                    LogPruned(removed);
                }
            }
        }
        batch.Clear();
    }

    private static string Cap(string value, int max) =>
        value.Length <= max ? value : value[..(char.IsHighSurrogate(value[max - 1]) ? max - 1 : max)];

    [LoggerMessage(EventId = 3501, Level = LogLevel.Warning, Message = "The refusal log's queue was full: {Count} refusals at RCPT were not recorded")]
    private partial void LogDropped(long count);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Error, Message = "Could not record {Count} refusals at RCPT")]
    private partial void LogWriteFailed(Exception exception, int count);

    [LoggerMessage(EventId = 3503, Level = LogLevel.Debug, Message = "Removed {Count} old refusals from the inbound log")]
    private partial void LogPruned(int count);
}
