using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/spaces: the spaces a member sees, and the form creating one.</summary>
public sealed class SpacesPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Spaces", Level = 1 });

    public async Task<SpacePage> CreateAsync(string name)
    {
        await page.GetByLabel("Space name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create space" }).ClickAsync();
        await page.WaitForURLAsync("**/spaces/*-*", new() { WaitUntil = WaitUntilState.Commit });
        return new SpacePage(page);
    }
}
