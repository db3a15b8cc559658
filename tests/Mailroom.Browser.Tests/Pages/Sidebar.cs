using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>The left navigation every signed-in page shows.</summary>
public sealed class Sidebar(IPage page)
{
    private ILocator Nav => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    public ILocator WorkspaceName => Nav.Locator(".brand-name");

    /// <summary>Administration → Third-party apps → Integrations → Email.</summary>
    public async Task<IntegrationsPage> OpenEmailIntegrationsAsync()
    {
        await Nav.GetByRole(AriaRole.Link, new() { Name = "Email", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/admin/integrations/email", new() { WaitUntil = WaitUntilState.Commit });
        return new IntegrationsPage(page);
    }

    public async Task<SpacesPage> OpenSpacesAsync()
    {
        await Nav.GetByRole(AriaRole.Link, new() { Name = "Spaces", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/spaces", new() { WaitUntil = WaitUntilState.Commit });
        return new SpacesPage(page);
    }

    /// <summary>Administration → Email app (owners and admins).</summary>
    public async Task<EmailAppPage> OpenEmailAppAsync()
    {
        await Nav.GetByRole(AriaRole.Link, new() { Name = "Email app", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/admin/apps/email", new() { WaitUntil = WaitUntilState.Commit });
        return new EmailAppPage(page);
    }

    /// <summary>The bell's accessible name carries the unread count.</summary>
    public ILocator Bell => Nav.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Notifications") });

    public async Task<NotificationsPage> OpenNotificationsAsync()
    {
        await Bell.ClickAsync();
        await page.WaitForURLAsync("**/notifications", new() { WaitUntil = WaitUntilState.Commit });
        return new NotificationsPage(page);
    }

    public async Task<InboundLogPage> OpenInboundLogAsync()
    {
        await Nav.GetByRole(AriaRole.Link, new() { Name = "Inbound log" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/inbound", new() { WaitUntil = WaitUntilState.Commit });
        return new InboundLogPage(page);
    }

    /// <summary>Administration → Members (owners and admins).</summary>
    public ILocator MembersLink => Nav.GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true });

    public async Task<MembersPage> OpenMembersAsync()
    {
        await MembersLink.ClickAsync();
        await page.WaitForURLAsync("**/admin/members", new() { WaitUntil = WaitUntilState.Commit });
        return new MembersPage(page);
    }

    public ILocator Space(string name) => Nav.GetByRole(AriaRole.List, new() { Name = "Your spaces" }).GetByRole(AriaRole.Link, new() { Name = name });

    public async Task SignOutAsync()
    {
        await Nav.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signin", new() { WaitUntil = WaitUntilState.Commit });
    }
}
