using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>One post of a group feed.</summary>
public sealed class FeedPost(ILocator article)
{
    public ILocator MailIcon => article.GetByRole(AriaRole.Img, new() { Name = "Sent by email" });
    public ILocator Article => article;
    public ILocator Title => article.Locator(".post-title");
    public ILocator Author => article.GetByTestId("author");
    public ILocator SenderAddress => article.GetByTestId("sender-address");
    public ILocator Body => article.Locator(".post-body");
    public ILocator Note => article.GetByRole(AriaRole.Note);
    public ILocator Attachment(string fileName) => article.GetByRole(AriaRole.Link).Filter(new() { HasText = fileName });
    public ILocator OriginalEmail => article.GetByRole(AriaRole.Link, new() { Name = "Download original email" });
}
