using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>Getting people into groups from the pages: the owner adds a member, who then has the group and its feed, with times in her browser's zone.</summary>
public sealed class GroupMembershipTests : BrowserTest
{
    private const string OwnerEmail = "olivia@example.com";
    private const string OwnerPassword = "correct-horse-battery";
    private const string MemberEmail = "mia@example.com";
    private const string MemberPassword = "member-password-1";

    [Fact]
    public Task Owner_AddsAMemberOnTheGroupsMembersPage_TheMemberThenHasTheGroupAndItsFeed() => Browser.RunAsync(async page =>
    {
        var setup = new SetupPage(page);
        await setup.GotoAsync();
        var groups = await setup.SetUpAsync("Acme", "Olivia Owner", OwnerEmail, OwnerPassword);
        await page.GetByLabel("Group name").FillAsync("Launch");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
        await page.WaitForURLAsync("**/groups/*", new() { WaitUntil = WaitUntilState.Commit });
        var feedUrl = page.Url;
        var members = await groups.Sidebar.OpenMembersAsync();
        await members.AddAsync("Mia Member", MemberEmail, MemberPassword, "Member");

        // Mia signs in on her laptop in Tokyo: no group yet, and the group's link says whom to ask instead of "not found".
        await using var tokyo = await page.Context.Browser!.NewContextAsync(new() { BaseURL = Server.BaseAddress.ToString(), TimezoneId = "Asia/Tokyo" });
        var mia = await tokyo.NewPageAsync();
        var signIn = new SignInPage(mia);
        await signIn.GotoAsync();
        await signIn.SubmitAsync(MemberEmail, MemberPassword);
        await mia.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(mia.GetByRole(AriaRole.Heading, new() { Name = "You are not in any group yet" })).ToBeVisibleAsync();
        await Expect(mia.GetByText("Create the first one below")).ToHaveCountAsync(0);
        await mia.GotoAsync(feedUrl);
        await Expect(mia.GetByRole(AriaRole.Heading, new() { Name = "You are not a member of Launch" })).ToBeVisibleAsync();
        await Expect(mia.GetByRole(AriaRole.Alert)).ToContainTextAsync("the group's manager, Olivia Owner");

        // The owner opens the group's members from its feed, adds Mia, and posts.
        await page.GotoAsync(feedUrl);
        var groupMembers = await GroupMembersPage.OpenFromFeedAsync(page);
        await Expect(groupMembers.Row("Olivia Owner")).ToContainTextAsync("Manager");
        await groupMembers.AddAsync("Mia Member", $"Mia Member ({MemberEmail})");
        await Expect(groupMembers.Row("Mia Member")).ToContainTextAsync("Member");
        await Browser.ScreenshotAsync("30-group-members");
        await page.GotoAsync(feedUrl);
        await page.GetByLabel("Title").FillAsync("Kick-off");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post", Exact = true }).ClickAsync();
        await Expect(new GroupFeedPage(page).Post("Kick-off")).ToBeVisibleAsync();

        // Now Mia has the group in her list, and its feed opens with times in her zone (her browser's).
        await mia.GotoAsync("/groups");
        await new GroupsPage(mia).Group("Launch").ClickAsync();
        await mia.WaitForURLAsync(feedUrl, new() { WaitUntil = WaitUntilState.Commit });
        await Expect(mia.GetByRole(AriaRole.Heading, new() { Name = "Launch", Level = 1 })).ToBeVisibleAsync();
        var posted = new GroupFeedPage(mia).Post("Kick-off").Locator("time");
        await Expect(posted).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(just now|[0-9]+ min ago)$"));
        await Expect(posted).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex(@"\(Asia/Tokyo\)$"));

        // She reads the member list but is not offered to change it.
        var readOnly = await GroupMembersPage.OpenFromFeedAsync(mia);
        await Expect(readOnly.Row("Olivia Owner")).ToBeVisibleAsync();
        await Expect(mia.GetByRole(AriaRole.Button, new() { Name = "Add to group" })).ToHaveCountAsync(0);
        await Expect(readOnly.Row("Olivia Owner").GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    });
}
