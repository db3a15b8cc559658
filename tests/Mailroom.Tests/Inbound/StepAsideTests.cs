using Mailroom.Inbound;
using Microsoft.Extensions.Options;

namespace Mailroom.Tests.Inbound;

/// <summary>The processor lets a burst be accepted first, but never starves under sustained load.</summary>
public class StepAsideTests
{
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private readonly ManualClock _clock = new();
    private readonly IntakeActivity _intake;
    private readonly StepAside _stepAside;

    public StepAsideTests()
    {
        _intake = new IntakeActivity(_clock);
        _stepAside = new StepAside(_intake, Options.Create(new InboundOptions { BusyIntakeRate = 300, MaxStepAside = TimeSpan.FromSeconds(1) }), _clock);
    }

    /// <summary>The intake commits <paramref name="perSecond"/> messages a second for <paramref name="duration"/>, in 20 ms steps; returns how often the processor was told to wait.</summary>
    private (int Waits, int Steps) Run(int perSecond, TimeSpan duration)
    {
        var steps = (int)(duration / TimeSpan.FromMilliseconds(20));
        var waits = 0;
        for (var i = 0; i < steps; i++)
        {
            _intake.Committed(perSecond / 50);
            waits += _stepAside.ShouldWait() ? 1 : 0;
            _clock.Advance(TimeSpan.FromMilliseconds(20));
        }
        return (waits, steps);
    }

    [Fact]
    public void QuietIntake_NeverHoldsTheProcessorBack()
    {
        var (waits, _) = Run(perSecond: 100, TimeSpan.FromSeconds(5));
        Assert.Equal(0, waits);
    }

    [Fact]
    public void ShortBurst_IsAcceptedWithTheProcessorOutOfTheWay()
    {
        var (waits, steps) = Run(perSecond: 8000, TimeSpan.FromMilliseconds(800));
        // All but the first step or two, while the rate window fills.
        Assert.InRange(waits, steps - 2, steps);
        // Once the burst is over the processor goes on at once.
        Run(perSecond: 0, TimeSpan.FromMilliseconds(300));
        Assert.False(_stepAside.ShouldWait());
    }

    [Fact]
    public void SustainedLoad_StillLeavesTheProcessorAboutHalfTheTime()
    {
        var (waits, steps) = Run(perSecond: 2000, TimeSpan.FromSeconds(10));
        Assert.InRange(waits / (double)steps, 0.4, 0.6);
    }

    [Fact]
    public void Disabled_NeverWaits()
    {
        var stepAside = new StepAside(_intake, Options.Create(new InboundOptions { BusyIntakeRate = 0 }), _clock);
        _intake.Committed(100_000);
        Assert.False(stepAside.ShouldWait());
    }
}
