using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/notifications: news on followed tasks.</summary>
public sealed class NotificationsPage(IPage page)
{
    public ILocator Items => page.GetByRole(AriaRole.List, new() { Name = "Notifications" }).GetByRole(AriaRole.Listitem);

    public async Task MarkAllReadAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark all read" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mark all read" })).ToHaveCountAsync(0);
    }
}
