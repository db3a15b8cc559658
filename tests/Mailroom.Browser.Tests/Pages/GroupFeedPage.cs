using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>/groups/{id}: the group's feed.</summary>
public sealed class GroupFeedPage(IPage page)
{
    public async Task GotoAsync(string path) => await page.GotoAsync(path);

    public ILocator Post(string title) => page.GetByRole(AriaRole.Article).Filter(new()
    {
        Has = page.GetByRole(AriaRole.Heading, new() { Name = title }),
    });

    /// <summary>Email becomes a post in the background: reload until it shows.</summary>
    public async Task<FeedPost> WaitForPostAsync(string title, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await Post(title).CountAsync() > 0)
            {
                return new FeedPost(Post(title));
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No post \"{title}\" appeared in the feed within {timeout.TotalSeconds} s.");
            }
            await Task.Delay(500);
            await page.ReloadAsync();
        }
    }
}
