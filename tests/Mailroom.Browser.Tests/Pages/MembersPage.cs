using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/admin/members: the members table (role, groups, a guest's spaces, deactivation) and the Add a member form.</summary>
public sealed class MembersPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Members", Level = 1 });
    public ILocator Table => page.GetByRole(AriaRole.Table, new() { Name = "Members" });
    public ILocator Notice => page.GetByRole(AriaRole.Status);
    public ILocator Error => page.GetByRole(AriaRole.Alert);

    public ILocator Row(string name) => Table.GetByRole(AriaRole.Row).Filter(new() { HasText = name });

    public ILocator Role(string name) => page.GetByLabel($"Role of {name}");

    public ILocator Spaces(string name) => page.GetByRole(AriaRole.List, new() { Name = $"Spaces of {name}" });

    public async Task AddAsync(string name, string email, string password, string role)
    {
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Initial password").FillAsync(password);
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Assertions.Expect(Notice).ToContainTextAsync($"{name} was added");
    }

    public async Task ChangeRoleAsync(string name, string role)
    {
        await Role(name).SelectOptionAsync(role);
        await Row(name).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(Notice).ToContainTextAsync($"{name} is now");
    }

    public async Task LetIntoSpaceAsync(string name, string space)
    {
        await page.GetByLabel($"Space to let {name} into").SelectOptionAsync(new SelectOptionValue { Label = space });
        await Row(name).GetByRole(AriaRole.Button, new() { Name = "Let in" }).ClickAsync();
        await Assertions.Expect(Spaces(name)).ToContainTextAsync(space);
    }

    public async Task DeactivateAsync(string name)
    {
        await Row(name).GetByText("Deactivate", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Deactivate {name}" }).ClickAsync();
        await Assertions.Expect(Notice).ToContainTextAsync($"{name} was deactivated");
    }
}
