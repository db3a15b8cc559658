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

    public async Task InitializeAsync()
    {
        Server = await MailroomServer.StartAsync();
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
