namespace Mailroom.Browser.Tests.Infrastructure;

/// <summary>
/// One real server and one Chromium session per test class instance: started before each test,
/// torn down after it (a trace is kept by <see cref="BrowserSession"/> when a test fails).
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    protected MailroomServer Server { get; private set; } = null!;
    protected BrowserSession Browser { get; private set; } = null!;

    /// <summary>Work to do against the running server before the browser opens (e.g. set up through the API).</summary>
    protected virtual Task BeforeBrowserAsync() => Task.CompletedTask;

    /// <summary>Configuration the test's server starts with, on top of the usual.</summary>
    protected virtual IEnumerable<string> ServerArguments => [];

    public async Task InitializeAsync()
    {
        Server = await MailroomServer.StartAsync(ServerArguments);
        await BeforeBrowserAsync();
        Browser = await BrowserSession.StartAsync(Server.BaseAddress, GetType().Name);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        await Server.DisposeAsync();
    }
}
