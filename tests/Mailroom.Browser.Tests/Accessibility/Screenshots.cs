using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Accessibility;

/// <summary>Screenshots of any page (any context) for looking at it by eye, when MAILROOM_SCREENSHOTS names a folder.</summary>
public static class Screenshots
{
    public static async Task TakeAsync(IPage page, string name, bool fullPage = true)
    {
        var folder = Environment.GetEnvironmentVariable("MAILROOM_SCREENSHOTS");
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = fullPage });
        }
    }
}
