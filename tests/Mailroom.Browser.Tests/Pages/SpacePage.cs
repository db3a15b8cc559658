using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/spaces/{id}: a space's lists and the form creating one.</summary>
public sealed class SpacePage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public async Task<ListPage> CreateListAsync(string name)
    {
        await page.GetByLabel("List name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create list" }).ClickAsync();
        await page.WaitForURLAsync("**/lists/*", new() { WaitUntil = WaitUntilState.Commit });
        return new ListPage(page);
    }
}
