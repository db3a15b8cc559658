using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts.Watching;

/// <summary>One real provider for a class of watcher tests, with a mailbox of its own for each test (so one test's mail is never another's).</summary>
public class WatchMailFixture : IAsyncLifetime
{
    public const string Password = "watched-mailbox-secret";
    private int _next;

    public MailServer Mail { get; private set; } = null!;

    public async Task InitializeAsync() => Mail = await StartAsync(Enumerable.Range(1, 24).Select(i => ($"box{i}", Password)).Append(("max", Password)));

    /// <summary>The provider for these users; a fixture of a provider with habits of its own says which.</summary>
    protected virtual Task<MailServer> StartAsync(IEnumerable<(string User, string Password)> users) => MailServer.StartAsync(users);

    public async Task DisposeAsync() => await Mail.DisposeAsync();

    /// <summary>A mailbox no other test of the class used.</summary>
    public string NextUser() => $"box{Interlocked.Increment(ref _next)}";
}
