namespace Mailroom.Inbound;

/// <summary>
/// A queue between the intake's threads: any thread adds, one dedicated thread takes everything
/// waiting at once. The consumer sleeps on a monitor and an add wakes it directly; a channel's
/// async waiter would be resumed through the thread pool first, one more thread woken per batch
/// (bench/RESULTS.md, session 4).
/// </summary>
internal sealed class HandOff<T>
{
    private readonly object _gate = new();
    private List<T> _items = [];
    private bool _completed;
    private bool _waiting;

    /// <summary>Adds an item; false once <see cref="Complete"/> was called.</summary>
    public bool TryAdd(T item)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }
            _items.Add(item);
            if (_waiting)
            {
                Monitor.Pulse(_gate);
            }
            return true;
        }
    }

    /// <summary>No more items: the consumer gets what is left, then <see cref="TakeAll"/> returns false.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Waits until something is queued and takes it all (at most <paramref name="max"/> items, in
    /// the order they were added); false when completed and empty.
    /// </summary>
    public bool TakeAll(int max, out List<T> taken)
    {
        lock (_gate)
        {
            while (_items.Count == 0)
            {
                if (_completed)
                {
                    taken = [];
                    return false;
                }
                _waiting = true;
                Monitor.Wait(_gate);
                _waiting = false;
            }
            if (_items.Count <= max)
            {
                taken = _items;
                _items = new List<T>(Math.Min(taken.Count * 2, max));
            }
            else
            {
                taken = _items.GetRange(0, max);
                _items.RemoveRange(0, max);
            }
            return true;
        }
    }
}
