using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Inbound;

/// <summary>
/// Turns stored messages into posts. Safe with several servers on one database: a message is
/// claimed with a lease before it is read, and its posts are written in the same transaction
/// that marks it done, so a crash anywhere means "processed again from the start", never twice.
/// </summary>
public sealed partial class InboundProcessor(
    IServiceScopeFactory scopes, BlobStore blobs, WriteGate gate, ProcessorSignal signal, StepAside stepAside, IOptions<InboundOptions> options, IOptions<MailroomOptions> mailroom,
    TimeProvider clock, ILogger<InboundProcessor> logger) : BackgroundService
{
    private readonly string _owner = InstanceId(mailroom.Value.FullDataDirectory);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Claims this server held when it died are released at once rather than left to expire;
        // other servers' claims (their own ids, their own data directories) are left alone.
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            await db.InboundMessages.Where(m => m.LeaseOwner == _owner && m.Status == InboundStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            int processed;
            try
            {
                await StepAsideWhileBusyAsync(stoppingToken);
                processed = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(ex);
                processed = 0;
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            if (processed == 0)
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Lets a burst of mail be accepted first (see <see cref="StepAside"/>).</summary>
    private async Task StepAsideWhileBusyAsync(CancellationToken cancellationToken)
    {
        while (stepAside.ShouldWait())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), clock, cancellationToken);
        }
    }

    /// <summary>Claims and processes one batch; returns how many messages it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();

        var candidates = await db.InboundMessages.AsNoTracking()
            .Where(m => m.Status == InboundStatus.Pending && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.Id) // time-ordered: arrival order
            .Select(m => m.Id)
            .Take(o.BatchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return 0;
        }
        // Whole milliseconds: both stores keep at least that, so the value read back compares equal.
        var leaseUntil = now + o.LeaseDuration;
        leaseUntil = leaseUntil.AddTicks(-(leaseUntil.Ticks % TimeSpan.TicksPerMillisecond));
        // Each message is claimed by its primary key, one statement each: with an IN list (or
        // json_each) next to the Status condition, SQLite's planner walks the Status index through
        // every pending row instead, which made each batch cost as much as the whole backlog.
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var id in candidates)
            {
                await db.InboundMessages
                    .Where(m => m.Id == id && m.Status == InboundStatus.Pending && (m.LeaseUntil == null || m.LeaseUntil < now))
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(m => m.LeaseUntil, leaseUntil)
                        .SetProperty(m => m.LeaseOwner, _owner)
                        .SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        var loaded = await db.InboundMessages.Where(m => candidates.Contains(m.Id)).ToListAsync(cancellationToken);
        var claimed = new List<InboundMessage>(loaded.Count);
        var crashed = new List<InboundMessage>();
        foreach (var m in loaded.OrderBy(m => m.Id))
        {
            if (m.LeaseOwner == _owner && m.LeaseUntil == leaseUntil && m.Status == InboundStatus.Pending)
            {
                // Attempts counts claims, so a claim that never reached an outcome (the server
                // crashed or was killed while processing it) is counted too.
                (m.Attempts > o.MaxAttempts ? crashed : claimed).Add(m);
            }
            else
            {
                // Another server's claim won: not ours to touch.
                db.Entry(m).State = EntityState.Detached;
            }
        }
        foreach (var m in crashed)
        {
            await QuarantineAsync(m.Id, $"the server stopped while processing it {m.Attempts - 1} times", cancellationToken);
            db.Entry(m).State = EntityState.Detached;
        }
        if (claimed.Count == 0)
        {
            return crashed.Count;
        }

        var handler = scope.ServiceProvider.GetRequiredService<MessageHandler>();
        try
        {
            foreach (var message in claimed)
            {
                // A burst that starts mid-batch gets the machine within one message, not one batch
                // (a batch of 32 is some 30 ms of CPU); the claims last far longer than a step aside.
                await StepAsideWhileBusyAsync(cancellationToken);
                if (!await WithinBudgetAsync(ct => handler.HandleAsync(db, message, ct), cancellationToken))
                {
                    throw new OverBudgetException(message.Id);
                }
            }
            blobs.Sync();
            using (await gate.EnterAsync(cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One bad message must not hold the batch hostage: retry them one by one. A message
            // over its budget is quarantined first, and its context (which a runaway reading may
            // still hold) is never used again: each message then gets a scope of its own.
            if (ex is OverBudgetException over)
            {
                await QuarantineOverBudgetAsync(over.MessageId, cancellationToken);
            }
            else
            {
                LogBatchFailed(ex, claimed.Count);
                db.ChangeTracker.Clear();
            }
            foreach (var id in claimed.Select(m => m.Id))
            {
                await HandleAloneAsync(id, cancellationToken);
            }
        }
        return claimed.Count + crashed.Count;
    }

    /// <summary>
    /// Runs one message's handling within <see cref="InboundOptions.ProcessingBudget"/>; false when
    /// it took longer. The reading loops check the token, so a slow message normally stops by
    /// itself soon after its budget; the wait is a backstop for a step that never checks (inside
    /// a library). Such a runaway thread cannot be killed in .NET: it is abandoned, runs on until
    /// that step returns, and then fails at its next check or on its disposed context, with
    /// nothing of its work saved. A few seconds of grace let cooperative stops finish cleanly.
    /// </summary>
    private async Task<bool> WithinBudgetAsync(Func<CancellationToken, Task> handle, CancellationToken stoppingToken)
    {
        var budget = options.Value.ProcessingBudget;
        using var over = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        over.CancelAfter(budget);
        // On the thread pool, so that reading, which is synchronous CPU work, cannot keep this
        // wait from noticing the budget.
        var work = Task.Run(() => handle(over.Token), CancellationToken.None);
        try
        {
            await work.WaitAsync(budget + Grace, clock, stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (over.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (TimeoutException)
        {
            _ = work.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return false;
        }
    }

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private Task QuarantineOverBudgetAsync(Guid id, CancellationToken cancellationToken) =>
        QuarantineAsync(id, $"it took longer than {Describe(options.Value.ProcessingBudget)} to process", cancellationToken);

    /// <summary>
    /// Marks a message failed for good (until an admin retries it), with why, in a context of its
    /// own: claims only take pending messages, so it is never claimed again by itself.
    /// </summary>
    private async Task QuarantineAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        LogQuarantined(id, reason);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.InboundMessages.Where(m => m.Id == id && m.Status == InboundStatus.Pending).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, InboundStatus.Failed)
                .SetProperty(m => m.Outcome, $"Quarantined: {reason}; kept, an admin can retry it.")
                .SetProperty(m => m.ProcessedAt, clock.GetUtcNow())
                .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        }
    }

    private static string Describe(TimeSpan budget) =>
        budget.TotalSeconds >= 1 ? $"{budget.TotalSeconds:0.#} s" : $"{budget.TotalMilliseconds:0} ms";

    /// <summary>The handling of one message went over its budget; the batch is redone without it.</summary>
    private sealed class OverBudgetException(Guid messageId) : Exception($"Message {messageId} went over its processing budget.")
    {
        public Guid MessageId { get; } = messageId;
    }

    private async Task HandleAloneAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        var message = await db.InboundMessages.FirstAsync(m => m.Id == id, cancellationToken);
        if (message.Status != InboundStatus.Pending || message.LeaseOwner != _owner)
        {
            return;
        }
        try
        {
            var handler = scope.ServiceProvider.GetRequiredService<MessageHandler>();
            if (!await WithinBudgetAsync(ct => handler.HandleAsync(db, message, ct), cancellationToken))
            {
                await QuarantineOverBudgetAsync(id, cancellationToken);
                return;
            }
            blobs.Sync();
            using (await gate.EnterAsync(cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMessageFailed(ex, id, message.Attempts);
            db.ChangeTracker.Clear();
            var giveUp = message.Attempts >= options.Value.MaxAttempts;
            var outcome = giveUp
                ? $"Quarantined: processing failed {message.Attempts} times ({ex.GetType().Name}: {Shorten(ex.Message)}); kept, an admin can retry it."
                : "Processing failed, will retry: " + ex.GetType().Name + ": " + Shorten(ex.Message);
            await db.InboundMessages.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, giveUp ? InboundStatus.Failed : InboundStatus.Pending)
                .SetProperty(m => m.Outcome, outcome)
                .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        }
    }

    /// <summary>A stable id for this server, kept in its data directory across restarts.</summary>
    internal static string InstanceId(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "instance-id");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: 32 } existing)
        {
            return existing;
        }
        var id = Guid.NewGuid().ToString("N");
        File.WriteAllText(path, id);
        return id;
    }

    private static string Shorten(string s) => s.Length <= 400 ? s : s[..400];

    [LoggerMessage(EventId = 3201, Level = LogLevel.Error, Message = "Inbound processing round failed; retrying")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "A batch of {Count} messages failed; processing them one by one")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Message {MessageId} was quarantined: {Reason}")]
    private partial void LogQuarantined(Guid messageId, string reason);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Error, Message = "Message {MessageId} failed on attempt {Attempt}")]
    private partial void LogMessageFailed(Exception exception, Guid messageId, int attempt);
}
