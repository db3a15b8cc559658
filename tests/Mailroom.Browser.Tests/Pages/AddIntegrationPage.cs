using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/admin/integrations/email/add: into an existing group or a new one, with a title.</summary>
public sealed class AddIntegrationPage(IPage page)
{
    public ILocator Error => page.GetByRole(AriaRole.Alert);

    public async Task<AddedIntegration> AddToNewGroupAsync(string groupName, string title)
    {
        await page.GetByLabel("Create a new group for these emails").CheckAsync();
        await page.GetByLabel("New group name").FillAsync(groupName);
        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/admin/integrations/email/add?created=*", new() { WaitUntil = WaitUntilState.Commit });

        var result = page.GetByRole(AriaRole.Region, new() { Name = "New address" });
        var address = (await result.Locator("code.address").InnerTextAsync()).Trim();
        var groupHref = await result.GetByRole(AriaRole.Link, new() { Name = $"Open {groupName}" }).GetAttributeAsync("href")
            ?? throw new InvalidOperationException("The result has no link to the group.");
        return new AddedIntegration(address, groupHref, result.GetByRole(AriaRole.Button, new() { Name = "Copy" }));
    }

    public async Task<IntegrationsPage> BackToIntegrationsAsync()
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to integrations" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/integrations/email", new() { WaitUntil = WaitUntilState.Commit });
        return new IntegrationsPage(page);
    }
}
