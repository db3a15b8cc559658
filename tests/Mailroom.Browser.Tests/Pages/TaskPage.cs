using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/tasks/{id}: the task, its menu with the address, its activity stream and the composer.</summary>
public sealed class TaskPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    public ILocator Activity => page.GetByRole(AriaRole.Region, new() { Name = "Activity" });
    private ILocator Menu => page.Locator("details").Filter(new() { Has = page.GetByLabel("Task menu") });
    public ILocator MenuAddress => Menu.Locator("[data-copy-source]");
    public ILocator CopyButton => Menu.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Copy ") });

    public ILocator Status => page.GetByLabel("Status", new() { Exact = true });

    /// <summary>The menu's first step: shows what a reset does and the button that does it.</summary>
    public ILocator ResetAddressStep => Menu.Locator("summary", new() { HasText = "Reset address" });
    public ILocator ConfirmResetButton => Menu.GetByRole(AriaRole.Button, new() { Name = "Yes, reset the address" });
    public ILocator MenuNote => Menu.GetByRole(AriaRole.Note);
    public ILocator Composer => page.GetByRole(AriaRole.Region, new() { Name = "Composer" });
    public ILocator FollowButton => page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^(Follow|Unfollow)$") });

    /// <summary>The editor's live region: what the last change saved, or why it was refused.</summary>
    public ILocator SaveStatus => page.GetByTestId("save-status");
    public ILocator Title => page.GetByLabel("Title", new() { Exact = true });
    public ILocator Description => page.GetByLabel("Description", new() { Exact = true });
    public ILocator DueDate => page.GetByLabel("Due date", new() { Exact = true });
    public ILocator Assignees => page.GetByRole(AriaRole.Group, new() { Name = "Assignees" });

    /// <summary>Status and the other facts save in place: the announcement says it was kept.</summary>
    public async Task SetStatusAsync(string status)
    {
        await Status.SelectOptionAsync(status);
        await Assertions.Expect(SaveStatus).ToContainTextAsync($"Status saved: {status}.");
    }

    /// <summary>Fills a text control and leaves it (what saves it), then waits for the announcement.</summary>
    public async Task ChangeAsync(ILocator control, string value, string announced)
    {
        await control.FillAsync(value);
        await control.BlurAsync();
        await Assertions.Expect(SaveStatus).ToHaveTextAsync(announced);
    }

    public async Task OpenTabAsync(string name) =>
        await Composer.GetByRole(AriaRole.Tab, new() { Name = name, Exact = true }).ClickAsync();

    public async Task OpenMenuAsync()
    {
        await page.GetByLabel("Task menu").ClickAsync();
        await Assertions.Expect(MenuAddress).ToBeVisibleAsync();
    }

    public ILocator Details => page.GetByRole(AriaRole.Region, new() { Name = "Task details" });
    public ILocator Breadcrumb => page.Locator(".breadcrumb");

    /// <summary>What the summary shows for a fact such as "Due" or "Assignees".</summary>
    public ILocator Fact(string name) => Details.Locator($"dl > div:has(> dt:text-is(\"{name}\")) > dd");

    /// <summary>The activity stream's one-line entries (not the comments).</summary>
    public ILocator Events => Activity.Locator("li.activity-event");

    public ILocator CloseButton => page.GetByRole(AriaRole.Button, new() { Name = "Close task", Exact = true });
    public ILocator ReopenButton => page.GetByRole(AriaRole.Button, new() { Name = "Reopen task", Exact = true });
    public ILocator EditPanel => page.Locator("details.task-edit");
    public ILocator FieldNames => page.GetByRole(AriaRole.Region, new() { Name = "Fields" }).Locator("dt");

    /// <summary>The field's control in the Fields block (its value is the field's).</summary>
    public ILocator FieldValue(string name) => page.GetByRole(AriaRole.Region, new() { Name = "Fields" }).GetByLabel(name, new() { Exact = true });

    public async Task SetFieldAsync(string name, string value)
    {
        await FieldValue(name).FillAsync(value);
        await FieldValue(name).PressAsync("Enter");
        await Assertions.Expect(SaveStatus).ToHaveTextAsync($"{name} saved: {value}.");
    }

    public async Task OpenEditAsync()
    {
        if (await EditPanel.GetAttributeAsync("open") is null)
        {
            await page.GetByText("Move task", new() { Exact = true }).ClickAsync();
        }
        await Assertions.Expect(page.GetByLabel("Move to list")).ToBeVisibleAsync();
    }

    /// <summary>Changes the title, description and due date in place, one save each (an empty <paramref name="dueDate"/> clears the date).</summary>
    public async Task EditAsync(string name, string description, string dueDate)
    {
        await ChangeAsync(Title, name, $"Title saved: {name}.");
        await ChangeAsync(Description, description, "Description saved.");
        await DueDate.FillAsync(dueDate);
        await DueDate.BlurAsync();
        await Assertions.Expect(SaveStatus).ToContainTextAsync(dueDate == "" ? "Due date removed." : "Due date saved:");
    }

    /// <summary>Ticks exactly these people; each tick saves on its own.</summary>
    public async Task SetAssigneesAsync(params string[] names)
    {
        foreach (var box in await Assignees.GetByRole(AriaRole.Checkbox).AllAsync())
        {
            var label = (await box.EvaluateAsync<string>("b => b.parentElement.textContent")).Trim();
            if (await box.IsCheckedAsync() != names.Contains(label))
            {
                var before = await SaveStatus.TextContentAsync();
                await box.SetCheckedAsync(names.Contains(label));
                await Assertions.Expect(SaveStatus).Not.ToHaveTextAsync(before ?? "");
                await Assertions.Expect(SaveStatus).ToContainTextAsync("Assignees saved:");
            }
        }
    }

    public async Task MoveToAsync(string listName)
    {
        await OpenEditAsync();
        await page.GetByLabel("Move to list").SelectOptionAsync(new SelectOptionValue { Label = listName });
        await SubmitAsync("Move");
    }

    /// <summary>A move posts and comes back to the task with the panel closed; an error keeps it open.</summary>
    private async Task SubmitAsync(string button)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(EditPanel).Not.ToHaveAttributeAsync("open", "");
    }

    public ILocator Comment(string text) => Activity.GetByRole(AriaRole.Article).Filter(new() { HasText = text });

    public async Task CommentAsync(string text)
    {
        await page.GetByLabel("Comment", new() { Exact = true }).FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Comment", Exact = true }).ClickAsync();
        await Assertions.Expect(Comment(text)).ToBeVisibleAsync();
    }

    /// <summary>The thread a top-level comment starts: the comment, its replies and its reply box.</summary>
    public ILocator Thread(string commentText) => Activity.Locator("li.activity-comment").Filter(new() { Has = page.GetByRole(AriaRole.Article).Filter(new() { HasText = commentText }) });

    public async Task ReplyAsync(string commentText, string reply)
    {
        var thread = Thread(commentText).First;
        await thread.Locator("details.reply-box > summary").ClickAsync();
        await thread.GetByLabel("Reply", new() { Exact = true }).FillAsync(reply);
        await thread.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        await Assertions.Expect(Thread(commentText).GetByRole(AriaRole.List, new() { Name = "Replies" })).ToContainTextAsync(reply);
    }

    /// <summary>Email becomes a comment in the background: reload until it shows.</summary>
    public async Task<TaskComment> WaitForCommentAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await Comment(text).CountAsync() > 0)
            {
                return new TaskComment(Comment(text));
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No comment \"{text}\" appeared in the activity stream within {timeout.TotalSeconds} s.");
            }
            await Task.Delay(500);
            await page.ReloadAsync();
        }
    }
}
