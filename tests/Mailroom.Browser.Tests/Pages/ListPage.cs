using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/lists/{id}: a list's tasks, its menu with the address, and the form creating a task.</summary>
public sealed class ListPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    public ILocator Tasks => page.GetByRole(AriaRole.Table, new() { Name = "Tasks" });

    public ILocator MenuAddress => page.Locator("details").Filter(new() { Has = page.GetByLabel("List menu") }).Locator("[data-copy-source]");

    public async Task OpenMenuAsync()
    {
        await page.GetByLabel("List menu").ClickAsync();
        await Assertions.Expect(MenuAddress).ToBeVisibleAsync();
    }

    public ILocator Row(string taskName) => Tasks.GetByRole(AriaRole.Row).Filter(new() { HasText = taskName });

    public async Task<TaskPage> OpenTaskAsync(string taskName)
    {
        await Tasks.GetByRole(AriaRole.Link, new() { Name = taskName }).ClickAsync();
        await page.WaitForURLAsync("**/tasks/*");
        return new TaskPage(page);
    }

    public async Task<TaskPage> CreateTaskAsync(string name, string description)
    {
        await page.GetByLabel("Task name").FillAsync(name);
        await page.GetByLabel("Description").FillAsync(description);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create task" }).ClickAsync();
        await page.WaitForURLAsync("**/tasks/*");
        return new TaskPage(page);
    }
}
