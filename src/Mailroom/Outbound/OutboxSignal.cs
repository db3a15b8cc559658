using System.Threading.Channels;

namespace Mailroom.Outbound;

/// <summary>Wakes the outbox worker when an email was queued or rescheduled here, instead of waiting for its timer.</summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Returns when notified (true) or after <paramref name="timeout"/> (false), whichever comes first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timer: a scheduled email is due, or it is time to look again.
            return false;
        }
    }
}
