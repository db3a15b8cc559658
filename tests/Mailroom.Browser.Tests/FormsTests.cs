using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>
/// Forms that keep what was typed and say what is wrong where it is wrong; the task page's facts
/// edited in place; destructive steps confirmed; state (closed, mail refused) shown where it matters.
/// </summary>
public sealed class FormsTests : BrowserTest
{
    private const string OwnerEmail = "olivia@example.com";
    private const string OwnerPassword = "a-long-enough-password";
    private const string MemberEmail = "mia@example.com";
    private const string MemberPassword = "member-password";

    private readonly HttpClient _api = new();
    private Guid _listId;
    private Guid _taskId;
    private Guid _groupId;
    private Guid _memberId;

    /// <summary>Through the API: a workspace with a member, a list with a task, a group with one post (so its composer starts closed).</summary>
    protected override async Task BeforeBrowserAsync()
    {
        _api.BaseAddress = Server.BaseAddress;
        var setup = await PostAsync<SetupResponse>("/api/setup", new { workspaceName = "Acme", ownerName = "Olivia Owner", email = OwnerEmail, password = OwnerPassword });
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", setup.Token);
        _memberId = (await PostAsync<Created>("/api/members", new { displayName = "Mia Member", email = MemberEmail, password = MemberPassword, role = "Member" })).Id;
        var space = await PostAsync<Created>("/api/spaces", new { name = "Product" });
        _listId = (await PostAsync<Created>($"/api/spaces/{space.Id}/lists", new { name = "Backlog" })).Id;
        _taskId = (await PostAsync<Created>($"/api/lists/{_listId}/tasks", new { name = "Write release notes" })).Id;
        _groupId = (await PostAsync<Created>("/api/groups", new { name = "Team" })).Id;
        await PostAsync<Created>($"/api/groups/{_groupId}/posts", new { title = "Welcome", body = "First post." });
    }

    [Fact]
    public Task TaskPage_TitleAndStatusEditedInPlace_AreSavedAndSurviveAReload() => Browser.RunAsync(async page =>
    {
        await SignInAsync(page, OwnerEmail, OwnerPassword);
        await page.GotoAsync($"/tasks/{_taskId}");
        var task = new TaskPage(page);

        // By keyboard: into the title (live once the page's circuit is up), a new name, Enter
        // saves it; the heading follows at once.
        await Expect(task.Title).ToBeEnabledAsync();
        await task.Title.FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("Write the release notes");
        await page.Keyboard.PressAsync("Enter");
        await Expect(task.SaveStatus).ToHaveTextAsync("Title saved: Write the release notes.");
        await Expect(task.Heading).ToHaveTextAsync("Write the release notes");
        await task.SetStatusAsync("In progress");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true })).ToHaveCountAsync(0);

        // An empty title is refused next to the field, which keeps what was typed.
        await task.Title.FillAsync("");
        await task.Title.PressAsync("Enter");
        await Expect(task.SaveStatus).ToContainTextAsync("Title not saved:");
        await Expect(task.Title).ToHaveAttributeAsync("aria-invalid", "true");
        var describedBy = await task.Title.GetAttributeAsync("aria-describedby");
        await Expect(page.Locator($"#{describedBy}")).ToContainTextAsync("Give the task a name");
        await Browser.ScreenshotAsync("30-task-inline-error");

        await page.ReloadAsync();
        await Expect(task.Title).ToHaveValueAsync("Write the release notes");
        await Expect(task.Status).ToHaveValueAsync("In progress");
        await Expect(task.Heading).ToHaveTextAsync("Write the release notes");
        await Expect(task.Events.Filter(new() { HasText = "changed the status from To do to In progress" })).ToHaveCountAsync(1);
    });

    [Fact]
    public Task TaskEditor_AfterAnAdminDeactivatesTheMember_TheOpenPageCannotEdit() => Browser.RunAsync(async page =>
    {
        await SignInAsync(page, MemberEmail, MemberPassword);
        await page.GotoAsync($"/tasks/{_taskId}");
        var task = new TaskPage(page);
        await task.SetStatusAsync("In progress");

        using (var deactivate = await _api.PatchAsJsonAsync($"/api/members/{_memberId}", new { active = false }))
        {
            deactivate.EnsureSuccessStatusCode();
        }
        // The circuit stays open, but each save loads the member again.
        await task.Title.FillAsync("Renamed by a deactivated account");
        await task.Title.PressAsync("Enter");
        await Expect(task.SaveStatus).ToContainTextAsync("Title not saved: An admin deactivated this account.");
        await Expect(task.Title).ToHaveAttributeAsync("aria-invalid", "true");

        var stored = await _api.GetFromJsonAsync<TaskResponse>($"/api/tasks/{_taskId}");
        Assert.Equal("Write release notes", stored!.Name);
    });

    [Fact]
    public Task GroupFeed_EmptyPost_KeepsTheComposerOpen_WithItsErrorFocused_AndTheTypedMessage() => Browser.RunAsync(async page =>
    {
        await SignInAsync(page, OwnerEmail, OwnerPassword);
        await page.GotoAsync($"/groups/{_groupId}");
        var composer = new PostComposer(page);
        await Expect(composer.Panel).Not.ToHaveAttributeAsync("open", "");
        await composer.OpenAsync();
        await composer.Message.FillAsync("The body I wrote before forgetting the title.");
        await composer.PostButton.ClickAsync();

        await page.WaitForLoadStateAsync();
        await Expect(composer.Panel).ToHaveAttributeAsync("open", "");
        await Expect(composer.TitleError).ToHaveTextAsync("Give the post a title.");
        await Expect(composer.Title).ToBeFocusedAsync();
        await Expect(composer.Title).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(composer.Title).ToHaveAttributeAsync("aria-describedby", "post-title-error");
        await Expect(composer.Message).ToHaveValueAsync("The body I wrote before forgetting the title.");
        await Browser.ScreenshotAsync("31-composer-error");
    });

    [Fact]
    public Task TaskPage_EmptyComment_IsRefusedUnderItsBox_WhichHasTheFocus() => Browser.RunAsync(async page =>
    {
        await SignInAsync(page, OwnerEmail, OwnerPassword);
        await page.GotoAsync($"/tasks/{_taskId}");
        var box = page.GetByLabel("Comment", new() { Exact = true });
        await box.FillAsync("   ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Comment", Exact = true }).ClickAsync();

        await page.WaitForLoadStateAsync();
        await Expect(page.Locator("#comment-body-error")).ToHaveTextAsync("Write something in the comment.");
        await Expect(box).ToHaveAttributeAsync("aria-describedby", "comment-body-error");
        await Expect(box).ToBeFocusedAsync();
    });

    [Fact]
    public Task TaskPage_ResetAddress_ChangesNothingUntilConfirmed() => Browser.RunAsync(async page =>
    {
        await SignInAsync(page, OwnerEmail, OwnerPassword);
        await page.GotoAsync($"/tasks/{_taskId}");
        var task = new TaskPage(page);
        await task.OpenMenuAsync();
        var address = (await task.MenuAddress.InnerTextAsync()).Trim();

        // The first click only shows what a reset does.
        await task.ResetAddressStep.ClickAsync();
        await Expect(task.ConfirmResetButton).ToBeVisibleAsync();
        await Browser.ScreenshotAsync("32-reset-confirm");
        await page.ReloadAsync();
        await task.OpenMenuAsync();
        await Expect(task.MenuAddress).ToHaveTextAsync(address);
        await Expect(task.ConfirmResetButton).Not.ToBeVisibleAsync();

        await task.ResetAddressStep.ClickAsync();
        await task.ConfirmResetButton.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "The address was reset" })).ToBeVisibleAsync();
        await Expect(task.MenuAddress).Not.ToHaveTextAsync(address);
    });

    [Fact]
    public Task ClosedTask_LooksClosed_OnItsPageAndInItsList() => Browser.RunAsync(async page =>
    {
        await SignInAsync(page, OwnerEmail, OwnerPassword);
        await page.GotoAsync($"/tasks/{_taskId}");
        var task = new TaskPage(page);
        await Expect(task.Heading).Not.ToContainTextAsync("Closed");
        await task.CloseButton.ClickAsync();
        await Expect(task.Heading).ToContainTextAsync("Closed");
        await Expect(task.Heading).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-closed"));

        await page.ReloadAsync();
        await Expect(task.Heading).ToContainTextAsync("Closed");
        await Expect(task.ReopenButton).ToBeVisibleAsync();
        await Browser.ScreenshotAsync("33-task-closed");

        await page.GotoAsync($"/lists/{_listId}");
        var list = new ListPage(page);
        await Expect(list.Row("Write release notes", closed: true)).ToContainTextAsync("(closed)");
        await Expect(list.Row("Write release notes", closed: true).Locator(".task-link")).ToHaveCSSAsync("text-decoration-line", "line-through");
    });

    [Fact]
    public Task Menus_WhileTheEmailAppIsOff_SayMailIsRefused_AndOnceItIsOn_WhatMailBecomes() => Browser.RunAsync(async page =>
    {
        await SignInAsync(page, OwnerEmail, OwnerPassword);
        await page.GotoAsync($"/lists/{_listId}");
        var list = new ListPage(page);
        await list.OpenMenuAsync();
        await Expect(list.MenuHint).ToContainTextAsync("The Email app is off: mail sent to this address is refused.");
        await Expect(list.Menu).Not.ToContainTextAsync("becomes a task");
        await Browser.ScreenshotAsync("34-list-menu-app-off");

        await page.GotoAsync($"/tasks/{_taskId}");
        var task = new TaskPage(page);
        await task.OpenMenuAsync();
        await Expect(task.MenuNote).ToContainTextAsync("The Email app is off: mail sent to this address is refused.");

        using (var enable = await _api.PutAsJsonAsync("/api/email-app", new { enabled = true }))
        {
            enable.EnsureSuccessStatusCode();
        }
        await page.GotoAsync($"/lists/{_listId}");
        await list.OpenMenuAsync();
        await Expect(list.MenuHint).ToContainTextAsync("Each email sent to this address becomes a task.");
        await page.GotoAsync($"/tasks/{_taskId}");
        await task.OpenMenuAsync();
        await Expect(task.MenuNote).ToHaveCountAsync(0);
    });

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        var signIn = new SignInPage(page);
        await signIn.GotoAsync();
        await signIn.SubmitAsync(email, password);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
    }

    private async Task<T> PostAsync<T>(string url, object body)
    {
        using var response = await _api.PostAsJsonAsync(url, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} POST {url}: {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private sealed record SetupResponse(string Token);
    private sealed record Created(Guid Id);
    private sealed record TaskResponse(Guid Id, string Name);
}
