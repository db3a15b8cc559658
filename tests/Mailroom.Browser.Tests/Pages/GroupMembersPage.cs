using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/groups/{id}/members: who is in a group, and (for admins and its managers) adding, promoting and removing them.</summary>
public sealed class GroupMembersPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Members", Level = 1 });
    public ILocator Notice => page.GetByRole(AriaRole.Status);
    public ILocator Error => page.GetByRole(AriaRole.Alert);
    public ILocator Table => page.GetByRole(AriaRole.Table).Filter(new() { HasText = "In this group" });

    public ILocator Row(string name) => Table.GetByRole(AriaRole.Row).Filter(new() { HasText = name });

    /// <summary>From a group's feed, its header's Members link.</summary>
    public static async Task<GroupMembersPage> OpenFromFeedAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/groups/*/members", new() { WaitUntil = WaitUntilState.Commit });
        return new GroupMembersPage(page);
    }

    /// <param name="label">The picker's option, "Name (email)".</param>
    public async Task AddAsync(string name, string label, bool manager = false)
    {
        await page.GetByLabel("Workspace member").SelectOptionAsync(new SelectOptionValue { Label = label });
        if (manager)
        {
            await page.GetByLabel("Manager", new() { Exact = true }).CheckAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to group" }).ClickAsync();
        await Assertions.Expect(Notice).ToHaveTextAsync($"{name} was added to the group.");
    }

    public async Task MakeManagerAsync(string name)
    {
        await Row(name).GetByRole(AriaRole.Button, new() { Name = "Make manager" }).ClickAsync();
        await Assertions.Expect(Notice).ToHaveTextAsync($"{name} now manages the group.");
    }

    public async Task RemoveAsync(string name)
    {
        await Row(name).GetByText("Remove", new() { Exact = true }).ClickAsync();
        await Row(name).GetByRole(AriaRole.Button, new() { Name = $"Remove {name}" }).ClickAsync();
        await Assertions.Expect(Notice).ToHaveTextAsync($"{name} was removed from the group.");
    }
}
