using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/admin/apps/email: the Email app's settings and their audit list.</summary>
public sealed class EmailAppPage(IPage page)
{
    public ILocator Enabled => page.GetByLabel("Enable the Email app");
    public ILocator Saved => page.GetByRole(AriaRole.Status).Filter(new() { HasText = "settings were saved" });
    public ILocator Audit => page.GetByRole(AriaRole.Table, new() { Name = "Changes to the Email app" });

    /// <summary>Turns the app on for every space with the given reply mode ("Threaded" or "New comment").</summary>
    public async Task EnableForAllSpacesAsync(string replyMode = "Threaded")
    {
        await Enabled.CheckAsync();
        await page.GetByLabel("All spaces").CheckAsync();
        await page.GetByLabel(replyMode, new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/apps/email?saved=true", new() { WaitUntil = WaitUntilState.Commit });
    }

    public ILocator Space(string name) => page.GetByRole(AriaRole.Checkbox, new() { Name = name, Exact = true });

    /// <summary>Turns the app on for the named spaces only.</summary>
    public async Task EnableForSpacesAsync(params string[] spaces)
    {
        await Enabled.CheckAsync();
        await page.GetByLabel("Chosen spaces").CheckAsync();
        foreach (var space in spaces)
        {
            await Space(space).CheckAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/apps/email?saved=true", new() { WaitUntil = WaitUntilState.Commit });
    }
}
