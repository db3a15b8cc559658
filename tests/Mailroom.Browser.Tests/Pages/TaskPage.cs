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
    public ILocator Composer => page.GetByRole(AriaRole.Region, new() { Name = "Composer" });
    public ILocator FollowButton => page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^(Follow|Unfollow)$") });

    public async Task SetStatusAsync(string status)
    {
        await Status.SelectOptionAsync(status);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(Status).ToHaveValueAsync(status);
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

    /// <summary>What the Fields block shows for a field (its value, or "—").</summary>
    public ILocator FieldValue(string name) => FieldRow(name).Locator("dd > :first-child");

    private ILocator FieldRow(string name) =>
        page.GetByRole(AriaRole.Region, new() { Name = "Fields" }).Locator("dl > div").Filter(new() { Has = page.GetByLabel(name, new() { Exact = true }) });

    public async Task SetFieldAsync(string name, string value)
    {
        await page.GetByLabel(name, new() { Exact = true }).FillAsync(value);
        await FieldRow(name).GetByRole(AriaRole.Button, new() { Name = "Set" }).ClickAsync();
        await Assertions.Expect(FieldValue(name)).ToHaveTextAsync(value);
    }

    public async Task OpenEditAsync()
    {
        if (await EditPanel.GetAttributeAsync("open") is null)
        {
            await page.GetByText("Edit task", new() { Exact = true }).ClickAsync();
        }
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Fills the edit form (an empty <paramref name="dueDate"/> clears the date) and saves it.</summary>
    public async Task EditAsync(string name, string description, string dueDate)
    {
        await OpenEditAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Description", new() { Exact = true }).FillAsync(description);
        await page.GetByLabel("Due date", new() { Exact = true }).FillAsync(dueDate);
        await SubmitAsync("Save changes");
    }

    public async Task SetAssigneesAsync(params string[] names)
    {
        await OpenEditAsync();
        var group = page.GetByRole(AriaRole.Group, new() { Name = "Assignees" });
        foreach (var box in await group.GetByRole(AriaRole.Checkbox).AllAsync())
        {
            var label = (await box.EvaluateAsync<string>("b => b.parentElement.textContent")).Trim();
            await box.SetCheckedAsync(names.Contains(label));
        }
        await SubmitAsync("Save assignees");
    }

    public async Task MoveToAsync(string listName)
    {
        await OpenEditAsync();
        await page.GetByLabel("Move to list").SelectOptionAsync(new SelectOptionValue { Label = listName });
        await SubmitAsync("Move");
    }

    /// <summary>Each change posts and comes back to the task with the edit panel closed; an error keeps it open.</summary>
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
