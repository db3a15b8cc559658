using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>Getting people into groups from the pages: the owner adds a member, who then has the group and its feed.</summary>
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
        await groups.Sidebar.SignOutAsync();

        // Before: no group, and the group's link says whom to ask instead of "not found".
        var signIn = new SignInPage(page);
        await signIn.SubmitAsync(MemberEmail, MemberPassword);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are not in any group yet" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Create the first one below")).ToHaveCountAsync(0);
        await page.GotoAsync(feedUrl);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are not a member of Launch" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("the group's manager, Olivia Owner");
        await groups.Sidebar.SignOutAsync();

        // The owner opens the group's members from its feed and adds Mia.
        await signIn.SubmitAsync(OwnerEmail, OwnerPassword);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
        await page.GotoAsync(feedUrl);
        var groupMembers = await GroupMembersPage.OpenFromFeedAsync(page);
        await Expect(groupMembers.Row("Olivia Owner")).ToContainTextAsync("Manager");
        await groupMembers.AddAsync("Mia Member", $"Mia Member ({MemberEmail})");
        await Expect(groupMembers.Row("Mia Member")).ToContainTextAsync("Member");
        await Browser.ScreenshotAsync("30-group-members");
        await groups.Sidebar.SignOutAsync();

        // After: Mia has the group in her list and its feed opens.
        await signIn.SubmitAsync(MemberEmail, MemberPassword);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
        await groups.Group("Launch").ClickAsync();
        await page.WaitForURLAsync(feedUrl, new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Launch", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Write a post")).ToBeVisibleAsync();

        // She reads the member list but is not offered to change it.
        var readOnly = await GroupMembersPage.OpenFromFeedAsync(page);
        await Expect(readOnly.Row("Olivia Owner")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add to group" })).ToHaveCountAsync(0);
        await Expect(readOnly.Row("Olivia Owner").GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    });
}
