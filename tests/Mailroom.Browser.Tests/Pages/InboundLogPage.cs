using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/admin/inbound: every received message and what became of it.</summary>
public sealed class InboundLogPage(IPage page)
{
    public ILocator Rows => page.GetByRole(AriaRole.Table, new() { Name = "Inbound messages" }).GetByRole(AriaRole.Row);

    public ILocator Row(string subject) => Rows.Filter(new() { HasText = subject });
}
