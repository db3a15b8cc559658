using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>The profile page: a password change that signs the old password (and other sessions) out, and never echoes a password.</summary>
public sealed class ProfileTests : BrowserTest
{
    private const string Email = "olivia@example.com";
    private const string OldPassword = "correct-horse-battery";
    private const string NewPassword = "a-brand-new-passphrase";
    private const string WrongPassword = "definitely-not-it-42";

    [Fact]
    public Task PasswordChange_WrongCurrentIsNotEchoed_AndTheNewOneSignsTheOldOneAndOtherSessionsOut() => Browser.RunAsync(async page =>
    {
        var setup = new SetupPage(page);
        await setup.GotoAsync();
        var groups = await setup.SetUpAsync("Acme", "Olivia Owner", Email, OldPassword);

        // A second browser signed in as the same member (a laptop left open).
        await using var laptop = await page.Context.Browser!.NewContextAsync(new() { BaseURL = Server.BaseAddress.ToString() });
        laptop.SetDefaultTimeout(30_000);
        var laptopPage = await laptop.NewPageAsync();
        await laptopPage.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await new SignInPage(laptopPage).SubmitAsync(Email, OldPassword);
        await laptopPage.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
        Assert.Equal(200, (await laptop.APIRequest.GetAsync("/groups", new() { MaxRedirects = 0 })).Status);

        var profile = await ProfilePage.OpenFromSidebarAsync(page, "Olivia Owner");
        await Expect(profile.Heading).ToBeVisibleAsync();
        await Expect(profile.SignOutOthers).ToBeCheckedAsync();

        // A wrong current password: refused, tied to its field, and neither password comes back.
        await profile.ChangePasswordAsync(WrongPassword, NewPassword);
        await Expect(profile.CurrentPassword).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(profile.CurrentPassword).ToHaveAccessibleDescriptionAsync("That is not your current password.");
        await Expect(profile.CurrentPassword).ToBeFocusedAsync();
        await Expect(profile.CurrentPassword).ToHaveValueAsync("");
        var html = await page.ContentAsync();
        Assert.DoesNotContain(WrongPassword, html);
        Assert.DoesNotContain(NewPassword, html);
        await Browser.ScreenshotAsync("31-profile-wrong-password");

        await profile.ChangePasswordAsync(OldPassword, NewPassword);
        await Expect(profile.Notice).ToContainTextAsync("Your password was changed.");
        await Expect(profile.Heading).ToBeVisibleAsync();

        // The laptop's session ended: its next page load is sent to sign in. (Asked with the laptop's own
        // cookies, without loading its open page again: its circuit may be moving it to sign in already.)
        var after = await laptop.APIRequest.GetAsync("/groups", new() { MaxRedirects = 0 });
        Assert.Equal(302, after.Status);
        Assert.Contains("/signin", after.Headers["location"]);

        // The old password no longer signs in; the new one does.
        await groups.Sidebar.SignOutAsync();
        var signIn = new SignInPage(page);
        await signIn.SubmitAsync(Email, OldPassword);
        await Expect(signIn.Error).ToContainTextAsync("Wrong email or password.");
        await signIn.SubmitAsync(Email, NewPassword);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
    });
}
