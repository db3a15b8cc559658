using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts.Watching;

/// <summary>One real provider for a class of watcher tests, with a mailbox of its own for each test (so one test's mail is never another's).</summary>
public sealed class WatchMailFixture : IAsyncLifetime
{
    public const string Password = "watched-mailbox-secret";
    private int _next;

    public MailServer Mail { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Mail = await MailServer.StartAsync(Enumerable.Range(1, 24).Select(i => ($"box{i}", Password)).Append(("max", Password)));

    public async Task DisposeAsync() => await Mail.DisposeAsync();

    /// <summary>A mailbox no other test of the class used.</summary>
    public string NextUser() => $"box{Interlocked.Increment(ref _next)}";
}
