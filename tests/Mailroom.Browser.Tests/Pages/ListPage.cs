using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/lists/{id}: a list's tasks, its menu with the address, and the form creating a task.</summary>
public sealed class ListPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    public ILocator Tasks => page.GetByRole(AriaRole.Table, new() { Name = "Tasks" });

    public ILocator MenuAddress => page.Locator("details").Filter(new() { Has = page.GetByLabel("List menu") }).Locator("[data-copy-source]");
    public ILocator Menu => page.Locator("details").Filter(new() { Has = page.GetByLabel("List menu") });
    /// <summary>What the menu says about mail sent to the address (refused while the Email app is off).</summary>
    public ILocator MenuHint => Menu.Locator(".hint, [role=note]").First;
    public ILocator Row(string taskName, bool closed) => Tasks.Locator(closed ? "tr.is-closed" : "tr:not(.is-closed)").Filter(new() { HasText = taskName });

    public async Task OpenMenuAsync()
    {
        await page.GetByLabel("List menu").ClickAsync();
        await Assertions.Expect(MenuAddress).ToBeVisibleAsync();
    }

    public ILocator Fields => page.GetByRole(AriaRole.List, new() { Name = "Fields of this list" });
    public ILocator FieldItems => Fields.GetByRole(AriaRole.Listitem);
    public ILocator MoveUpButton(string field) => page.GetByRole(AriaRole.Button, new() { Name = $"Move {field} up", Exact = true });
    public ILocator MoveDownButton(string field) => page.GetByRole(AriaRole.Button, new() { Name = $"Move {field} down", Exact = true });
    public ILocator DeleteConfirmation(string field) => page.GetByRole(AriaRole.Group, new() { Name = $"Confirm deleting {field}", Exact = true });

    /// <summary>Moves a field one place and waits for the page to come back with the new order.</summary>
    public async Task MoveFieldAsync(string field, bool up)
    {
        var before = await FieldItems.AllInnerTextsAsync();
        await (up ? MoveUpButton(field) : MoveDownButton(field)).ClickAsync();
        await Assertions.Expect(FieldItems).Not.ToHaveTextAsync(before.ToArray(), new() { UseInnerText = true });
    }

    public async Task OpenDeleteFieldAsync(string field)
    {
        await page.GetByLabel($"Delete field {field}", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(DeleteConfirmation(field)).ToBeVisibleAsync();
    }

    public async Task ConfirmDeleteFieldAsync(string field)
    {
        await DeleteConfirmation(field).GetByRole(AriaRole.Button, new() { Name = "Delete field" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel($"Delete field {field}", new() { Exact = true })).ToHaveCountAsync(0);
    }

    public ILocator Row(string taskName) => Tasks.GetByRole(AriaRole.Row).Filter(new() { HasText = taskName });

    public async Task<TaskPage> OpenTaskAsync(string taskName)
    {
        await Tasks.GetByRole(AriaRole.Link, new() { Name = taskName }).ClickAsync();
        await page.WaitForURLAsync("**/tasks/*", new() { WaitUntil = WaitUntilState.Commit });
        return new TaskPage(page);
    }

    public async Task<TaskPage> CreateTaskAsync(string name, string description)
    {
        await page.GetByLabel("Task name").FillAsync(name);
        await page.GetByLabel("Description").FillAsync(description);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create task" }).ClickAsync();
        await page.WaitForURLAsync("**/tasks/*", new() { WaitUntil = WaitUntilState.Commit });
        return new TaskPage(page);
    }
}
