namespace Mailroom.Inbound;

/// <summary>
/// How busy the intake is right now. During a burst the processor steps aside (see
/// <see cref="InboundOptions.BusyIntakeRate"/>) so that senders get their 250s quickly: accepting
/// is what a sender waits for, posting can follow a moment later.
/// </summary>
public sealed class IntakeActivity(TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    private readonly Lock _lock = new();
    private long _windowStart;
    private int _current;
    private int _previous;

    /// <summary>Records messages just committed by the intake.</summary>
    public void Committed(int count)
    {
        lock (_lock)
        {
            Roll(clock.GetTimestamp());
            _current += count;
        }
    }

    /// <summary>Messages per second committed over the last window or two.</summary>
    public double Rate
    {
        get
        {
            lock (_lock)
            {
                var now = clock.GetTimestamp();
                Roll(now);
                var inWindow = clock.GetElapsedTime(_windowStart, now);
                // The previous full window plus the part of the current one.
                return (_previous + _current) / (Window + inWindow).TotalSeconds;
            }
        }
    }

    private void Roll(long now)
    {
        var elapsed = clock.GetElapsedTime(_windowStart, now);
        if (elapsed < Window)
        {
            return;
        }
        _previous = elapsed < 2 * Window ? _current : 0;
        _current = 0;
        _windowStart = now;
    }
}
