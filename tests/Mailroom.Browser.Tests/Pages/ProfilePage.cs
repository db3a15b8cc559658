using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/profile: name, password, notifications and time zone, the member's groups.</summary>
public sealed class ProfilePage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Your profile", Level = 1 });
    public ILocator Notice => page.GetByRole(AriaRole.Status);
    public ILocator CurrentPassword => page.GetByLabel("Current password");
    public ILocator NewPassword => page.GetByLabel("New password");
    public ILocator SignOutOthers => page.GetByLabel("Sign out my other sessions and revoke my API tokens");
    public ILocator TimeZone => page.GetByLabel("Time zone");
    public ILocator Groups => page.GetByRole(AriaRole.List, new() { Name = "Your groups" }).Last;

    /// <summary>The sidebar footer's name opens the profile.</summary>
    public static async Task<ProfilePage> OpenFromSidebarAsync(IPage page, string displayName)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = displayName }).ClickAsync();
        await page.WaitForURLAsync("**/profile", new() { WaitUntil = WaitUntilState.Commit });
        return new ProfilePage(page);
    }

    public async Task ChangePasswordAsync(string current, string next, bool signOutOthers = true)
    {
        await CurrentPassword.FillAsync(current);
        await NewPassword.FillAsync(next);
        await SignOutOthers.SetCheckedAsync(signOutOthers);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }
}
