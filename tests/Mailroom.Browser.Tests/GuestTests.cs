using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>B2 in the browser: an owner adds a guest on the Members page; the guest reads a task but never sees the Email app.</summary>
public sealed class GuestTests : BrowserTest
{
    private const string OwnerEmail = "ada@example.com";
    private const string OwnerPassword = "correct-horse-battery";
    private const string GuestEmail = "gus@client.example";
    private const string GuestPassword = "guest-password-1";

    [Fact]
    public Task Guest_AddedOnMembersPage_ReadsTheTask_WithoutEmailTabOrAddresses() => Browser.RunAsync(async page =>
    {
        var setup = new SetupPage(page);
        await setup.GotoAsync();
        var groups = await setup.SetUpAsync("Acme", "Ada Lovelace", OwnerEmail, OwnerPassword);
        var sidebar = groups.Sidebar;

        // A space the guest will be let into, and one they will not.
        var spaces = await sidebar.OpenSpacesAsync();
        await spaces.CreateAsync("Internal");
        spaces = await sidebar.OpenSpacesAsync();
        var space = await spaces.CreateAsync("Client project");
        var list = await space.CreateListAsync("Deliverables");
        await list.OpenMenuAsync();
        var listAddress = (await list.MenuAddress.InnerTextAsync()).Trim();
        var task = await list.CreateTaskAsync("Logo draft", "Three options, by Friday.");
        await task.OpenMenuAsync();
        var taskAddress = (await task.MenuAddress.InnerTextAsync()).Trim();
        var taskUrl = page.Url;

        // Administration → Members: add a guest, let them into the client's space; promote a member.
        var members = await sidebar.OpenMembersAsync();
        await Expect(members.Row("Ada Lovelace")).ToContainTextAsync("Owner");
        await members.AddAsync("Gus Guest", GuestEmail, GuestPassword, "Guest");
        await Expect(members.Role("Gus Guest")).ToHaveValueAsync("Guest");
        await Expect(members.Row("Gus Guest")).ToContainTextAsync("None yet");
        await members.LetIntoSpaceAsync("Gus Guest", "Client project");
        await Expect(members.Spaces("Gus Guest")).Not.ToContainTextAsync("Internal");
        await members.AddAsync("Mia Member", "mia@example.com", "member-password-1", "Member");
        await members.ChangeRoleAsync("Mia Member", "Admin");
        await Expect(members.Notice).ToHaveTextAsync("Mia Member is now an admin.");
        await Expect(members.Role("Mia Member")).ToHaveValueAsync("Admin");
        await Browser.ScreenshotAsync("20-members");
        await sidebar.SignOutAsync();

        // The guest signs in: one space, the task readable, no Email app anywhere.
        var signIn = new SignInPage(page);
        await signIn.SubmitAsync(GuestEmail, GuestPassword);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(sidebar.MembersLink).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Email", Exact = true })).ToHaveCountAsync(0);
        await Expect(sidebar.Space("Client project")).ToBeVisibleAsync();
        await Expect(sidebar.Space("Internal")).ToHaveCountAsync(0);

        await sidebar.Space("Client project").ClickAsync();
        await page.WaitForURLAsync("**/spaces/*", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Deliverables" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Email a task to")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Deliverables" }).ClickAsync();
        await page.WaitForURLAsync("**/lists/*", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByLabel("List menu")).ToHaveCountAsync(0);
        await AssertNoAddressAsync(page, listAddress, taskAddress);

        var guestTask = await list.OpenTaskAsync("Logo draft");
        await Expect(guestTask.Heading).ToHaveTextAsync("Logo draft");
        await Expect(page.GetByText("Three options, by Friday.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Task menu")).ToHaveCountAsync(0);
        await Expect(guestTask.Composer.GetByRole(AriaRole.Tab, new() { Name = "Email" })).ToHaveCountAsync(0);
        await Expect(guestTask.Composer).ToContainTextAsync("Guests can read this task but not comment on it.");
        await AssertNoAddressAsync(page, listAddress, taskAddress);
        await Browser.ScreenshotAsync("21-guest-task");

        // Asking for the Email tab by its address changes nothing.
        await page.GotoAsync(taskUrl + "?tab=email");
        await Expect(guestTask.Heading).ToHaveTextAsync("Logo draft");
        await Expect(guestTask.Composer.GetByRole(AriaRole.Tab, new() { Name = "Email" })).ToHaveCountAsync(0);
        await Expect(guestTask.Composer).Not.ToContainTextAsync("email account");
        await AssertNoAddressAsync(page, listAddress, taskAddress);

        // And the Members page is for admins.
        await page.GotoAsync("/admin/members");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You need to be an admin" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Members" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task DeactivatedMember_CannotSignIn_AndTheirOpenSessionEnds() => Browser.RunAsync(async page =>
    {
        var setup = new SetupPage(page);
        await setup.GotoAsync();
        var groups = await setup.SetUpAsync("Acme", "Ada Lovelace", OwnerEmail, OwnerPassword);
        var members = await groups.Sidebar.OpenMembersAsync();
        await members.AddAsync("Mia Member", "mia@example.com", "member-password-1", "Member");

        // Mia is signed in in another browser context when the owner deactivates her.
        var other = await Browser.Context.Browser!.NewContextAsync(new() { BaseURL = Server.BaseAddress.ToString() });
        var miaPage = await other.NewPageAsync();
        await miaPage.GotoAsync("/signin");
        await new SignInPage(miaPage).SubmitAsync("mia@example.com", "member-password-1");
        await miaPage.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });

        // The owner's own row offers no deactivation.
        await Expect(members.Row("Ada Lovelace").GetByText("Deactivate", new() { Exact = true })).ToHaveCountAsync(0);
        await members.DeactivateAsync("Mia Member");
        await Expect(members.Row("Mia Member")).ToContainTextAsync("Deactivated");
        await Browser.ScreenshotAsync("22-members-deactivated");

        await miaPage.GotoAsync("/groups");
        await miaPage.WaitForURLAsync("**/signin**", new() { WaitUntil = WaitUntilState.Commit });
        var signIn = new SignInPage(miaPage);
        await signIn.SubmitAsync("mia@example.com", "member-password-1");
        await Expect(signIn.Error).ToContainTextAsync("An admin deactivated this account.");
        await other.CloseAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Reactivate" }).ClickAsync();
        await Expect(members.Notice).ToHaveTextAsync("Mia Member can sign in again.");
        await Expect(members.Row("Mia Member")).Not.ToContainTextAsync("Deactivated");
    });

    private static async Task AssertNoAddressAsync(IPage page, params string[] addresses)
    {
        var html = await page.ContentAsync();
        foreach (var address in addresses)
        {
            Assert.DoesNotContain(address, html, StringComparison.OrdinalIgnoreCase);
        }
    }
}
