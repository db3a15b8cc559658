using Microsoft.Extensions.Options;

namespace Mailroom.Inbound;

/// <summary>
/// Whether the processor should let the intake have the machine for a moment. During a burst
/// (intake above <see cref="InboundOptions.BusyIntakeRate"/>) it waits, at most
/// <see cref="InboundOptions.MaxStepAside"/> in a row; then it processes for at least as long
/// whatever the intake does, so under sustained load posting still gets half the time.
/// </summary>
public sealed class StepAside(IntakeActivity intake, IOptions<InboundOptions> options, TimeProvider clock)
{
    private long _waitingSince = -1;
    private long _processUntil;

    public bool ShouldWait()
    {
        var o = options.Value;
        var now = clock.GetTimestamp();
        if (o.BusyIntakeRate <= 0 || now < _processUntil || intake.Rate <= o.BusyIntakeRate)
        {
            _waitingSince = -1;
            return false;
        }
        if (_waitingSince < 0)
        {
            _waitingSince = now;
        }
        if (clock.GetElapsedTime(_waitingSince, now) < o.MaxStepAside)
        {
            return true;
        }
        _waitingSince = -1;
        _processUntil = now + (long)(o.MaxStepAside.TotalSeconds * clock.TimestampFrequency);
        return false;
    }
}
