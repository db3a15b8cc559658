using Mailroom.Inbound;

namespace Mailroom.Tests.Inbound;

/// <summary>The queue between the SMTP sessions and the intake's commit thread.</summary>
public class HandOffTests
{
    [Fact]
    public void TakeAll_TakesWhatIsWaiting_InOrder_AtMostMax()
    {
        var queue = new HandOff<int>();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(queue.TryAdd(i));
        }
        Assert.True(queue.TakeAll(3, out var first));
        Assert.Equal([0, 1, 2], first);
        Assert.True(queue.TakeAll(3, out var second));
        Assert.Equal([3, 4], second);
        Assert.True(queue.TryAdd(5));
        Assert.True(queue.TakeAll(3, out var third));
        Assert.Equal([5], third);
    }

    [Fact]
    public async Task AWaitingConsumer_IsWokenByTheFirstAdd()
    {
        var queue = new HandOff<string>();
        var taken = Task.Factory.StartNew(() => queue.TakeAll(10, out var items) ? items : null, TaskCreationOptions.LongRunning);
        await Task.Delay(100);
        Assert.False(taken.IsCompleted);
        queue.TryAdd("mail");
        var items = await taken.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["mail"], items);
    }

    [Fact]
    public async Task Complete_RefusesNewItems_HandsOverWhatIsLeft_ThenEnds()
    {
        var queue = new HandOff<int>();
        queue.TryAdd(1);
        queue.Complete();
        Assert.False(queue.TryAdd(2));
        Assert.True(queue.TakeAll(10, out var left));
        Assert.Equal([1], left);
        Assert.False(queue.TakeAll(10, out var none));
        Assert.Empty(none);

        // A consumer already waiting when the queue completes is released too.
        var other = new HandOff<int>();
        var waiting = Task.Factory.StartNew(() => other.TakeAll(10, out _), TaskCreationOptions.LongRunning);
        await Task.Delay(100);
        other.Complete();
        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
