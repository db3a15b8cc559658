using System.Net.Http.Json;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

public sealed class AccessTests : BrowserTest
{
    private const string Email = "owner@example.com";
    private const string Password = "a-long-enough-password";

    private string _ownerToken = "";

    protected override async Task BeforeBrowserAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var response = await http.PostAsJsonAsync("/api/setup", new { workspaceName = "Globex", ownerName = "Hank Scorpio", email = Email, password = Password });
        response.EnsureSuccessStatusCode();
        _ownerToken = (await response.Content.ReadFromJsonAsync<SetupResponse>())!.Token;
    }

    [Fact]
    public Task SignIn_WrongPasswordIsRefused_RightPasswordLandsOnGroups() => Browser.RunAsync(async page =>
    {
        // A page that needs an account sends the visitor to sign in first.
        await page.GotoAsync("/admin/integrations/email");
        await page.WaitForURLAsync("**/signin?ReturnUrl=*", new() { WaitUntil = WaitUntilState.Commit });

        var signIn = new SignInPage(page);
        await signIn.SubmitAsync(Email, "not-the-password");
        await Expect(signIn.Error).ToHaveTextAsync("Wrong email or password.");
        await Browser.ScreenshotAsync("07-signin-error");

        await signIn.GotoAsync();
        await signIn.SubmitAsync(Email, Password);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
        var groups = new GroupsPage(page);
        await Expect(groups.Heading).ToBeVisibleAsync();
        await Expect(groups.Sidebar.WorkspaceName).ToHaveTextAsync("Globex");

        await groups.Sidebar.SignOutAsync();
        await page.GotoAsync("/groups");
        await page.WaitForURLAsync("**/signin?ReturnUrl=*", new() { WaitUntil = WaitUntilState.Commit });
    });

    [Fact]
    public Task AdminPages_ForAMember_SayAnAdminIsNeeded() => Browser.RunAsync(async page =>
    {
        using (var http = new HttpClient { BaseAddress = Server.BaseAddress })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", _ownerToken);
            using var created = await http.PostAsJsonAsync("/api/members", new { displayName = "Bart", email = "bart@example.com", password = "member-password", role = 2 });
            created.EnsureSuccessStatusCode();
        }

        var signIn = new SignInPage(page);
        await signIn.GotoAsync();
        await signIn.SubmitAsync("bart@example.com", "member-password");
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });

        foreach (var path in new[] { "/admin/inbound", "/admin/integrations/email", "/admin/integrations/email/add" })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You need to be an admin" })).ToBeVisibleAsync();
        }
        await Browser.ScreenshotAsync("08-admin-only");
    });

    private sealed record SetupResponse(string Token);
}
