using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/admin/integrations/email: every email integration, how many are active, settings.</summary>
public sealed class IntegrationsPage(IPage page)
{
    public ILocator Count => page.GetByTestId("integration-count");

    public ILocator Table => page.GetByRole(AriaRole.Table, new() { Name = "Email integrations" });

    public ILocator Row(string title) => page.GetByRole(AriaRole.Row).Filter(new() { HasText = title });

    public async Task GotoAsync() => await page.GotoAsync("/admin/integrations/email");

    public async Task<AddIntegrationPage> AddAsync()
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Add", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/admin/integrations/email/add", new() { WaitUntil = WaitUntilState.Commit });
        return new AddIntegrationPage(page);
    }

    /// <summary>The gear: opens the details panel of one integration (a second call leaves it open).</summary>
    public async Task<ILocator> OpenSettingsAsync(string title)
    {
        var panel = Row(title).Locator(".settings-panel");
        if (!await panel.IsVisibleAsync())
        {
            await page.GetByLabel($"Settings for {title}").ClickAsync();
        }
        return panel;
    }

    private ILocator Confirmation => page.GetByRole(AriaRole.Group, new() { Name = "Confirm removal" });

    /// <summary>Gear → trash "Remove": the page asks for confirmation.</summary>
    public async Task<ILocator> StartRemovingAsync(string title)
    {
        var panel = await OpenSettingsAsync(title);
        await panel.GetByRole(AriaRole.Link, new() { Name = "Remove" }).ClickAsync();
        await Confirmation.GetByText("Remove this integration?").WaitForAsync();
        return Confirmation;
    }

    /// <summary>The final "Remove" of the confirmation.</summary>
    public async Task ConfirmRemovalAsync()
    {
        await Confirmation.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "The integration was removed" }).WaitForAsync();
    }
}
