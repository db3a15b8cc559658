using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright (no downloaded browsers). Records a trace and keeps
/// it in the output folder when the test fails.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _testName;
    private bool _failed;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, string testName)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
        _testName = testName;
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    public static string TraceDirectory => Path.Combine(AppContext.BaseDirectory, "playwright-traces");

    public static async Task<BrowserSession> StartAsync(Uri baseAddress, string testName)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MAILROOM_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new() { Width = 1280, Height = 860 },
        });
        context.SetDefaultTimeout(15_000);
        await context.Tracing.StartAsync(new() { Screenshots = true, Snapshots = true, Sources = false, Title = testName });
        var page = await context.NewPageAsync();
        return new BrowserSession(playwright, browser, context, page, testName);
    }

    /// <summary>Runs the test's steps; a failure keeps the trace (open it with `playwright show-trace`).</summary>
    public async Task RunAsync(Func<IPage, Task> steps)
    {
        try
        {
            await steps(Page);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>Screenshots for reviewing the pages by eye, when MAILROOM_SCREENSHOTS names a folder.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Environment.GetEnvironmentVariable("MAILROOM_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_failed)
        {
            Directory.CreateDirectory(TraceDirectory);
            var path = Path.Combine(TraceDirectory, $"{_testName}-{DateTime.UtcNow:yyyyMMddHHmmss}.zip");
            await Context.Tracing.StopAsync(new() { Path = path });
            Console.Error.WriteLine($"Playwright trace saved to {path}");
        }
        else
        {
            await Context.Tracing.StopAsync();
        }
        await Context.CloseAsync();
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
