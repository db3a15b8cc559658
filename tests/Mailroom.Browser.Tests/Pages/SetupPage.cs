using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/setup: the first-run form that creates the workspace and its owner.</summary>
public sealed class SetupPage(IPage page)
{
    public async Task GotoAsync()
    {
        // "/" sends a new server to setup.
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/setup", new() { WaitUntil = WaitUntilState.Commit });
    }

    public async Task<GroupsPage> SetUpAsync(string workspace, string name, string email, string password)
    {
        await page.GetByLabel("Workspace name").FillAsync(workspace);
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
        return new GroupsPage(page);
    }
}
