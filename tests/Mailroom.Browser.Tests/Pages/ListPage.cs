using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/lists/{id}: a list's tasks, its menu with the address, and the form creating a task.</summary>
public sealed class ListPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    public ILocator Tasks => page.GetByRole(AriaRole.Table, new() { Name = "Tasks" });

    public async Task<TaskPage> CreateTaskAsync(string name, string description)
    {
        await page.GetByLabel("Task name").FillAsync(name);
        await page.GetByLabel("Description").FillAsync(description);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create task" }).ClickAsync();
        await page.WaitForURLAsync("**/tasks/*");
        return new TaskPage(page);
    }
}
