using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/admin/inbound's address filter and its "Refused at RCPT" section.</summary>
public sealed class InboundRefusals(IPage page)
{
    public ILocator AddressFilter => page.GetByRole(AriaRole.Search, new() { Name = "Filter by address" }).GetByLabel("Address");

    public ILocator Rows => page.GetByRole(AriaRole.Table, new() { Name = "Refused recipients" }).GetByRole(AriaRole.Row);

    public ILocator Row(string address) => Rows.Filter(new() { HasText = address });

    public async Task FilterByAddressAsync(string address)
    {
        await AddressFilter.FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex($@"/admin/inbound\?address={Regex.Escape(Uri.EscapeDataString(address))}$"), new() { WaitUntil = WaitUntilState.Commit });
    }

    public async Task ShowRefusedOnlyAsync()
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Filter by status" }).GetByRole(AriaRole.Link, new() { Name = "Refused at RCPT" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/admin/inbound\?status=refused(&|$)"), new() { WaitUntil = WaitUntilState.Commit });
    }

    /// <summary>Refusals are written a moment after the session: reloads until the row is there.</summary>
    public async Task<ILocator> WaitForRowAsync(string address)
    {
        for (var attempt = 0; attempt < 20 && await Row(address).CountAsync() == 0; attempt++)
        {
            await page.WaitForTimeoutAsync(250);
            await page.ReloadAsync();
        }
        return Row(address);
    }
}
