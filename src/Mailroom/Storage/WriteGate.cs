namespace Mailroom.Storage;

/// <summary>
/// SQLite has one writer at a time, and a writer that finds the lock taken sleeps in SQLite's busy
/// handler (1, 2, 5, 10… ms) without being woken when the lock is free. The intake and the
/// processor — the two busy writers — take turns through this gate instead, so the one waiting
/// starts the moment the other commits. PostgreSQL takes row locks and needs no gate.
/// </summary>
public sealed class WriteGate(bool enabled)
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!enabled)
        {
            return Released.Instance;
        }
        await _semaphore.WaitAsync(cancellationToken);
        return new Releaser(_semaphore);
    }

    /// <summary>The same gate for a thread that may block (the intake's commit thread).</summary>
    public IDisposable Enter(CancellationToken cancellationToken)
    {
        if (!enabled)
        {
            return Released.Instance;
        }
        _semaphore.Wait(cancellationToken);
        return new Releaser(_semaphore);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }

    private sealed class Released : IDisposable
    {
        public static readonly Released Instance = new();

        public void Dispose()
        {
        }
    }
}
