using Mailroom.People;

namespace Mailroom.Tests.People;

/// <summary>The relative times every page shows, read in the member's own zone.</summary>
public class TimeDisplayTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    // 2026-03-10 23:30 in Paris (UTC+1): "yesterday" and "today" are Paris's, not UTC's.
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 22, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(-5 * 60, "5 min ago")]
    [InlineData(-3 * 3600, "3 h ago")]
    [InlineData(-23 * 3600 - 30 * 60, "23 h ago")]
    [InlineData(-24 * 3600 - 30 * 60, "yesterday, 23:00")]
    [InlineData(-24 * 3600, "yesterday, 23:30")]
    [InlineData(-7 * 86400, "3 Mar")]
    [InlineData(-400 * 86400, "3 Feb 2025")]
    [InlineData(10 * 60, "in 10 min")]
    [InlineData(12 * 3600, "tomorrow, 11:30")]
    public void Relative_ReadsAsAPersonWould_InTheirZone(int secondsFromNow, string expected) =>
        Assert.Equal(expected, TimeDisplay.Relative(Now.AddSeconds(secondsFromNow), Now, Paris));

    [Fact]
    public void Full_NamesTheLocalTimeAndTheZone() =>
        Assert.Equal("Tuesday 10 March 2026, 23:30 (Europe/Paris)", TimeDisplay.Full(Now, Paris));

    [Fact]
    public void Resolve_AnUnknownOrUnchosenZone_IsUtc()
    {
        Assert.Equal(TimeZoneInfo.Utc, TimeDisplay.Resolve(null));
        Assert.Equal(TimeZoneInfo.Utc, TimeDisplay.Resolve("Mars/Olympus_Mons"));
        Assert.True(TimeDisplay.IsKnown("Europe/Paris"));
        Assert.False(TimeDisplay.IsKnown("Mars/Olympus_Mons"));
    }
}
