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

    public ILocator Comment(string text) => Activity.GetByRole(AriaRole.Article).Filter(new() { HasText = text });

    public async Task CommentAsync(string text)
    {
        await page.GetByLabel("Comment", new() { Exact = true }).FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Comment", Exact = true }).ClickAsync();
        await Assertions.Expect(Comment(text)).ToBeVisibleAsync();
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
