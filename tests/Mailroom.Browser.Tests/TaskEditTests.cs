using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>Tracking work on the pages: editing (in place), assigning, moving and closing a task; ordering and deleting a list's fields.</summary>
public sealed class TaskEditTests : BrowserTest
{
    private const string OwnerEmail = "olivia@example.com";
    private const string OwnerPassword = "a-long-enough-password";

    private readonly HttpClient _api = new();
    private Guid _backlogId;
    private Guid _campaignsId;

    /// <summary>Through the API: a workspace, a second member, and two spaces with a list each (the second with its own statuses).</summary>
    protected override async Task BeforeBrowserAsync()
    {
        _api.BaseAddress = Server.BaseAddress;
        var setup = await PostAsync<SetupResponse>("/api/setup", new { workspaceName = "Acme", ownerName = "Olivia Owner", email = OwnerEmail, password = OwnerPassword });
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", setup.Token);
        await PostAsync<Created>("/api/members", new { displayName = "Mia Member", email = "mia@example.com", password = "member-password", role = "Member" });
        var product = await PostAsync<Created>("/api/spaces", new { name = "Product" });
        _backlogId = (await PostAsync<Created>($"/api/spaces/{product.Id}/lists", new { name = "Backlog" })).Id;
        var marketing = await PostAsync<Created>("/api/spaces", new { name = "Marketing" });
        _campaignsId = (await PostAsync<Created>($"/api/spaces/{marketing.Id}/lists",
            new { name = "Campaigns", statuses = new[] { "Idea", "Running", "Finished" }, doneStatus = "Finished" })).Id;
    }

    [Fact]
    public Task TaskPage_EditAssignMoveClose_EachChangeShowsOnThePageAndInTheActivity() => Browser.RunAsync(async page =>
    {
        await SignInAsync(page);
        await page.GotoAsync($"/lists/{_backlogId}");
        var task = await new ListPage(page).CreateTaskAsync("Write release notes", "Cover the email app.");
        await Expect(task.DueDate).ToHaveValueAsync("");

        // Name, description and due date edited in place, each saved on its own, each its own line in the activity.
        await task.EditAsync("Write the release notes", "Cover the email app.\nAnd the task pages.", "2027-01-15");
        await Expect(task.Heading).ToHaveTextAsync("Write the release notes");
        await page.ReloadAsync();
        await Expect(task.Title).ToHaveValueAsync("Write the release notes");
        await Expect(task.Description).ToHaveValueAsync("Cover the email app.\nAnd the task pages.");
        await Expect(task.DueDate).ToHaveValueAsync("2027-01-15");
        await Expect(task.Events.Filter(new() { HasText = "renamed the task from \"Write release notes\" to \"Write the release notes\"" })).ToHaveCountAsync(1);
        await Expect(task.Events.Filter(new() { HasText = "edited the description" })).ToHaveCountAsync(1);
        await Expect(task.Events.Filter(new() { HasText = "set the due date to 2027-01-15" })).ToHaveCountAsync(1);

        // Emptying only the date removes the date and changes nothing else.
        await task.DueDate.FillAsync("");
        await task.DueDate.BlurAsync();
        await Expect(task.SaveStatus).ToHaveTextAsync("Due date removed.");
        await page.ReloadAsync();
        await Expect(task.DueDate).ToHaveValueAsync("");
        await Expect(task.Events.Filter(new() { HasText = "removed the due date" })).ToHaveCountAsync(1);
        await Expect(task.Events.Filter(new() { HasText = "edited the description" })).ToHaveCountAsync(1);
        await Expect(task.Events.Filter(new() { HasText = "renamed the task" })).ToHaveCountAsync(1);

        // Assigning a member: saved at the tick, followed, recorded.
        await task.SetAssigneesAsync("Mia Member");
        await Expect(task.SaveStatus).ToHaveTextAsync("Assignees saved: Mia Member.");
        await Expect(task.Fact("Followers")).ToContainTextAsync("Mia Member");
        await page.ReloadAsync();
        await Expect(task.Events.Last).ToContainTextAsync("Olivia Owner assigned the task to Mia Member");
        await Expect(task.Assignees.GetByLabel("Mia Member")).ToBeCheckedAsync();
        await Expect(task.Assignees.GetByLabel("Olivia Owner")).Not.ToBeCheckedAsync();
        await Browser.ScreenshotAsync("20-task-edit-panel");

        // Moving to a list of another space, whose statuses differ: the task takes its first open status.
        await task.MoveToAsync("Campaigns");
        await Expect(task.Breadcrumb).ToContainTextAsync("Marketing / Campaigns");
        await Expect(task.Status).ToHaveValueAsync("Idea");
        await Expect(task.Events.Filter(new() { HasText = "moved the task from Backlog to Campaigns" })).ToHaveCountAsync(1);
        await Expect(task.Events.Last).ToContainTextAsync("changed the status from To do to Idea");

        // Closing puts it in the list's done status; reopening brings it back.
        await task.CloseButton.ClickAsync();
        await Expect(task.ReopenButton).ToBeVisibleAsync();
        await Expect(task.Status).ToHaveValueAsync("Finished");
        await page.ReloadAsync();
        await Expect(task.Events.Last).ToContainTextAsync("closed the task");
        await Browser.ScreenshotAsync("21-task-closed");
        await page.GetByRole(AriaRole.Link, new() { Name = "Campaigns" }).ClickAsync();
        var campaigns = new ListPage(page);
        await Expect(campaigns.Row("Write the release notes")).ToContainTextAsync("Finished");
        await Expect(campaigns.Row("Write the release notes")).ToContainTextAsync("Mia Member");

        task = await campaigns.OpenTaskAsync("Write the release notes");
        await task.ReopenButton.ClickAsync();
        await Expect(task.CloseButton).ToBeVisibleAsync();
        await Expect(task.Status).ToHaveValueAsync("Idea");
        await page.ReloadAsync();
        await Expect(task.Events.Last).ToContainTextAsync("reopened the task");

        // With two comments on the page, a reply goes under the one it answers.
        await task.CommentAsync("Draft is in the wiki.");
        await task.CommentAsync("Screenshots to follow.");
        await task.ReplyAsync("Draft is in the wiki.", "Looks good.");
        await Expect(task.Thread("Screenshots to follow.").GetByRole(AriaRole.List, new() { Name = "Replies" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task ListPage_ReorderAndDeleteFields_TheTaskPageFollows() => Browser.RunAsync(async page =>
    {
        var fields = new Dictionary<string, Guid>();
        foreach (var (name, type) in new[] { ("Client", "Text"), ("Budget", "Number"), ("Deadline", "Date") })
        {
            fields[name] = (await PostAsync<Created>($"/api/lists/{_backlogId}/fields", new { name, type })).Id;
        }
        var taskId = (await PostAsync<Created>($"/api/lists/{_backlogId}/tasks", new { name = "Website redesign" })).Id;
        using (var set = await _api.PutAsJsonAsync($"/api/tasks/{taskId}/fields/{fields["Budget"]}", new { value = "1200" }))
        {
            set.EnsureSuccessStatusCode();
        }

        await SignInAsync(page);
        await page.GotoAsync($"/lists/{_backlogId}");
        var list = new ListPage(page);
        await Expect(list.FieldItems).ToHaveCountAsync(3);
        await Expect(list.FieldItems).ToContainTextAsync(["Client", "Budget", "Deadline"]);
        await Expect(list.MoveUpButton("Client")).ToBeDisabledAsync();
        await Expect(list.MoveDownButton("Deadline")).ToBeDisabledAsync();

        await list.MoveFieldAsync("Deadline", up: true);
        await Expect(list.FieldItems).ToContainTextAsync(["Client", "Deadline", "Budget"]);
        await list.MoveFieldAsync("Client", up: false);
        await Expect(list.FieldItems).ToContainTextAsync(["Deadline", "Client", "Budget"]);
        await Expect(list.MoveUpButton("Deadline")).ToBeDisabledAsync();
        await Expect(list.MoveDownButton("Budget")).ToBeDisabledAsync();

        // The order is the list's, so every task shows its fields that way.
        var task = await list.OpenTaskAsync("Website redesign");
        await Expect(task.FieldNames).ToContainTextAsync(["Deadline", "Client", "Budget"]);
        await task.SetFieldAsync("Client", "Acme Corp");
        await Expect(task.FieldValue("Budget")).ToHaveValueAsync("1200");
        await page.ReloadAsync();
        await Expect(task.FieldValue("Client")).ToHaveValueAsync("Acme Corp");
        await Expect(task.Events.Last).ToContainTextAsync("set Client to Acme Corp");

        // Deleting asks first; the task loses the field and its activity says what the value was.
        await page.GotoAsync($"/lists/{_backlogId}");
        await list.OpenDeleteFieldAsync("Budget");
        await Expect(list.DeleteConfirmation("Budget")).ToContainTextAsync("Delete the field \"Budget\"?");
        await Browser.ScreenshotAsync("22-list-delete-field");
        await list.ConfirmDeleteFieldAsync("Budget");
        await Expect(list.FieldItems).ToHaveCountAsync(2);
        await Expect(list.FieldItems).ToContainTextAsync(["Deadline", "Client"]);
        await Browser.ScreenshotAsync("23-list-fields");

        task = await list.OpenTaskAsync("Website redesign");
        await Expect(task.FieldNames).ToHaveCountAsync(2);
        await Expect(task.FieldNames).ToContainTextAsync(["Deadline", "Client"]);
        await Expect(task.Events.Last).ToContainTextAsync("Olivia Owner deleted the field Budget (it was 1200)");
    });

    private static async Task SignInAsync(IPage page)
    {
        var signIn = new SignInPage(page);
        await signIn.GotoAsync();
        await signIn.SubmitAsync(OwnerEmail, OwnerPassword);
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
}
