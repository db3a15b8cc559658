using Mailroom.Storage;

namespace Mailroom.Tests.Storage;

/// <summary>Row ids sort in creation order, also within one millisecond, as .NET, SQLite's text and PostgreSQL's uuid compare them.</summary>
public class IdsTests
{
    [Fact]
    public void IdsMadeInTheSameMillisecond_SortInCreationOrder_AndAreVersion7WithTheirTime()
    {
        var at = new DateTimeOffset(2026, 12, 3, 10, 0, 0, 123, TimeSpan.Zero);
        var generator = new Ids();
        var ids = Enumerable.Range(0, 5000).Select(_ => generator.Next(at)).ToList();

        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(ids[i - 1].CompareTo(ids[i]) < 0, $"id {i} sorts before id {i - 1}");
            // SQLite keeps a Guid as upper-case text; PostgreSQL compares a uuid byte by byte, in the same order.
            Assert.True(string.CompareOrdinal(ids[i - 1].ToString().ToUpperInvariant(), ids[i].ToString().ToUpperInvariant()) < 0);
        }
        Assert.Equal(5000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.Equal(0b10, id.Variant >> 2));
        // The first 48 bits are the Unix time in milliseconds.
        var first = Convert.ToInt64(ids[0].ToString("N")[..12], 16);
        Assert.Equal(at.ToUnixTimeMilliseconds(), first);
    }

    [Fact]
    public void IdsFromManyThreads_AreAllDistinct_AndEachThreadsOwnAreInOrder()
    {
        var perThread = Enumerable.Range(0, 8).AsParallel().Select(_ => Enumerable.Range(0, 2000).Select(_ => Ids.New()).ToList()).ToList();

        Assert.Equal(16000, perThread.SelectMany(l => l).Distinct().Count());
        Assert.All(perThread, list => Assert.Equal(list, list.Order()));
    }

    [Fact]
    public void AnIdMadeLater_SortsAfter_EvenWhenTheClockReadsEarlier()
    {
        var generator = new Ids();
        var later = generator.Next(DateTimeOffset.UtcNow.AddSeconds(5));
        var next = generator.Next(DateTimeOffset.UtcNow);

        Assert.True(later.CompareTo(next) < 0, "an id never sorts before one made earlier in this process");
    }
}
