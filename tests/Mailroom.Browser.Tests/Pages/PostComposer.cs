using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>The group feed's "Write a post" panel.</summary>
public sealed class PostComposer(IPage page)
{
    public ILocator Panel => page.Locator("details.composer");
    public ILocator Title => Panel.GetByLabel("Title", new() { Exact = true });
    public ILocator Message => Panel.GetByLabel("Message", new() { Exact = true });
    public ILocator PostButton => Panel.GetByRole(AriaRole.Button, new() { Name = "Post", Exact = true });

    /// <summary>The error the title field points at with aria-describedby.</summary>
    public ILocator TitleError => page.Locator("#post-title-error");

    public async Task OpenAsync()
    {
        if (await Panel.GetAttributeAsync("open") is null)
        {
            await Panel.Locator("summary").ClickAsync();
        }
        await Assertions.Expect(Title).ToBeVisibleAsync();
    }
}
