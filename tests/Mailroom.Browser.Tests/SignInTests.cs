using System.Net.Http.Json;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

public sealed class SignInTests : IAsyncLifetime
{
    private const string Email = "owner@example.com";
    private const string Password = "a-long-enough-password";

    private MailroomServer _server = null!;
    private BrowserSession _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await MailroomServer.StartAsync();
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var response = await http.PostAsJsonAsync("/api/setup", new { workspaceName = "Globex", ownerName = "Hank Scorpio", email = Email, password = Password });
        response.EnsureSuccessStatusCode();
        _browser = await BrowserSession.StartAsync(_server.BaseAddress, nameof(SignInTests));
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public Task SignIn_WrongPasswordIsRefused_RightPasswordLandsOnGroups() => _browser.RunAsync(async page =>
    {
        // A page that needs an account sends the visitor to sign in first.
        await page.GotoAsync("/admin/integrations/email");
        await page.WaitForURLAsync("**/signin?ReturnUrl=*");

        var signIn = new SignInPage(page);
        await signIn.SubmitAsync(Email, "not-the-password");
        await Expect(signIn.Error).ToHaveTextAsync("Wrong email or password.");
        await _browser.ScreenshotAsync("07-signin-error");

        await signIn.GotoAsync();
        await signIn.SubmitAsync(Email, Password);
        await page.WaitForURLAsync("**/groups");
        var groups = new GroupsPage(page);
        await Expect(groups.Heading).ToBeVisibleAsync();
        await Expect(groups.Sidebar.WorkspaceName).ToHaveTextAsync("Globex");

        await groups.Sidebar.SignOutAsync();
        await page.GotoAsync("/groups");
        await page.WaitForURLAsync("**/signin?ReturnUrl=*");
    });
}
