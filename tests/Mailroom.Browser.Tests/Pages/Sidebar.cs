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
        await page.WaitForURLAsync("**/admin/integrations/email");
        return new IntegrationsPage(page);
    }

    public async Task<InboundLogPage> OpenInboundLogAsync()
    {
        await Nav.GetByRole(AriaRole.Link, new() { Name = "Inbound log" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/inbound");
        return new InboundLogPage(page);
    }

    public async Task SignOutAsync()
    {
        await Nav.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signin");
    }
}
