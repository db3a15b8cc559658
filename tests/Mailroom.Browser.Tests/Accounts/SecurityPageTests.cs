using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mailroom.Browser.Tests.Accessibility;
using Mailroom.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests.Accounts;

/// <summary>
/// Settings → Security & Permissions in Chromium (B18), on a server its operator keeps on Business
/// Plus: the owner turns the Member role's email permissions off and Add back on (which turns Send
/// on with it), an admin may change only the Member row, a member is shown the admins-only page
/// and, without "Send email", a composer with no From and the reason; without "Add email accounts", no
/// way to link a mailbox; no axe violation at 1280 or 390 px.
/// </summary>
public sealed class SecurityPageTests : BrowserTest
{
    internal const string AdminEmail = "ada@example.com";

    protected override IEnumerable<string> ServerArguments => ["--Mailroom:Plans:Pinned=business-plus"];

    [Fact]
    public Task Owner_SetsTheMemberRow_AddTurnsSendOn_AdminChangesOnlyMembers_MemberCannotSend() => Browser.RunAsync(async _ =>
    {
        var seed = await SeededWorkspace.CreateAsync(Server);
        await AddAdminAsync(Server);

        var owner = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.OwnerEmail, Axe.InstallAsync);
        await owner.GetByRole(AriaRole.Link, new() { Name = "Security & Permissions" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Security & Permissions", Level = 1 })).ToBeVisibleAsync();
        var memberSend = owner.GetByRole(AriaRole.Checkbox, new() { Name = "Member: Send email (Email app)" });
        var memberAdd = owner.GetByRole(AriaRole.Checkbox, new() { Name = "Member: Add email accounts (Email app)" });
        await Expect(memberSend).ToBeCheckedAsync();
        await Expect(memberAdd).ToBeCheckedAsync();
        await Expect(owner.GetByText("Turning on “Add email accounts” turns on “Send email” too")).ToBeVisibleAsync();

        // Both off, saved.
        await memberSend.UncheckAsync();
        await memberAdd.UncheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(owner.GetByText("The roles' email permissions were saved.")).ToBeVisibleAsync();
        await Expect(memberSend).Not.ToBeCheckedAsync();
        await Expect(memberAdd).Not.ToBeCheckedAsync();
        // Add on alone: Send comes on with it.
        await memberAdd.CheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(owner.GetByText("The roles' email permissions were saved.")).ToBeVisibleAsync();
        await Expect(memberSend).ToBeCheckedAsync();
        await Expect(memberAdd).ToBeCheckedAsync();
        // Then Send off on its own: Add stays.
        await memberSend.UncheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(owner.GetByText("The roles' email permissions were saved.")).ToBeVisibleAsync();
        await Expect(memberSend).Not.ToBeCheckedAsync();
        await Expect(memberAdd).ToBeCheckedAsync();
        await ShootAsync(owner, "security-owner");

        // An admin sees the table, with the Admin row the owner's to change.
        var admin = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, AdminEmail, Axe.InstallAsync);
        await admin.GotoAsync("/admin/security");
        await Expect(admin.GetByRole(AriaRole.Checkbox, new() { Name = "Admin: Send email (Email app)" })).ToBeDisabledAsync();
        await Expect(admin.GetByRole(AriaRole.Checkbox, new() { Name = "Member: Send email (Email app)" })).ToBeEnabledAsync();
        await Expect(admin.GetByText("Only the workspace's owner changes what admins may do")).ToBeVisibleAsync();
        await ShootAsync(admin, "security-admin");

        // A member: no link to it, the admins-only page, and a composer that says why it cannot send.
        var member = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.MemberEmail, Axe.InstallAsync);
        await Expect(member.GetByRole(AriaRole.Link, new() { Name = "Security & Permissions" })).ToHaveCountAsync(0);
        await member.GotoAsync("/admin/security");
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "You need to be an admin" })).ToBeVisibleAsync();
        await ShootAsync(member, "security-member");
        await member.GotoAsync($"/tasks/{seed.TaskId}?tab=email");
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Your role cannot send email" })).ToBeVisibleAsync();
        await Expect(member.GetByText("The Member role lacks the \"Send email (Email app)\" permission")).ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Form, new() { Name = "New email" })).ToHaveCountAsync(0);
        await ShootAsync(member, "composer-member-cannot-send");

        // Send back on, Add off: the member may send but is offered no way to link a mailbox.
        await owner.GotoAsync("/admin/security");
        await memberSend.CheckAsync();
        await memberAdd.UncheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(owner.GetByText("The roles' email permissions were saved.")).ToBeVisibleAsync();
        await Expect(memberSend).ToBeCheckedAsync();
        await Expect(memberAdd).Not.ToBeCheckedAsync();
        await member.GotoAsync($"/tasks/{seed.TaskId}?tab=email");
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "No email account to send from" })).ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Link, new() { Name = "Add an email account" })).ToHaveCountAsync(0);
        await member.GotoAsync("/settings/email-accounts");
        await Expect(member.GetByText("the Member role lacks the \"Add email accounts (Email app)\" permission")).ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Link an email" })).ToHaveCountAsync(0);
        await ShootAsync(member, "email-accounts-member-cannot-add");
    });

    internal static async Task ShootAsync(IPage page, string name)
    {
        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, width > 900 ? 860 : 844);
            Assert.Empty(await Axe.SeriousViolationsAsync(page));
            await Screenshots.TakeAsync(page, $"{name}-{width}");
        }
        await page.SetViewportSizeAsync(1280, 860);
    }

    internal static async Task AddAdminAsync(MailroomServer server)
    {
        using var api = new HttpClient { BaseAddress = server.BaseAddress };
        using var token = await api.PostAsJsonAsync("/api/auth/token", new { email = SeededWorkspace.OwnerEmail, password = SeededWorkspace.Password });
        token.EnsureSuccessStatusCode();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<Token>())!.Value);
        using var added = await api.PostAsJsonAsync("/api/members", new { displayName = "Ada Admin", email = AdminEmail, password = SeededWorkspace.Password, role = "Admin" });
        added.EnsureSuccessStatusCode();
    }

    private sealed record Token([property: System.Text.Json.Serialization.JsonPropertyName("token")] string Value);
}

/// <summary>On Business, the same page shows the table disabled and which plan brings it, from PlanGates' own words.</summary>
public sealed class SecurityPageLockedTests : BrowserTest
{
    protected override IEnumerable<string> ServerArguments => ["--Mailroom:Plans:Pinned=business"];

    [Fact]
    public Task OnBusiness_TheTableIsDisabled_AndSaysWhichPlanBringsIt() => Browser.RunAsync(async _ =>
    {
        await SeededWorkspace.CreateAsync(Server);
        var owner = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.OwnerEmail, Axe.InstallAsync);
        await owner.GotoAsync("/admin/security");
        await Expect(owner.GetByText("it comes with Business Plus and above")).ToBeVisibleAsync();
        await Expect(owner.GetByRole(AriaRole.Checkbox, new() { Name = "Member: Send email (Email app)" })).ToBeDisabledAsync();
        await Expect(owner.GetByRole(AriaRole.Checkbox, new() { Name = "Admin: Add email accounts (Email app)" })).ToBeDisabledAsync();
        await Expect(owner.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
        await SecurityPageTests.ShootAsync(owner, "security-locked");
    });
}
