using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/groups: the groups the member can see.</summary>
public sealed class GroupsPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Groups", Level = 1 });

    public Sidebar Sidebar => new(page);

    public ILocator Group(string name) => page.GetByRole(AriaRole.List, new() { Name = "Groups", Exact = true }).GetByRole(AriaRole.Link).Filter(new() { HasText = name });
}
