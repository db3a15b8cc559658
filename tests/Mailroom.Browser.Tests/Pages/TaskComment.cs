using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>One comment of a task's activity stream.</summary>
public sealed class TaskComment(ILocator article)
{
    public ILocator MailIcon => article.GetByRole(AriaRole.Img, new() { Name = "Sent by email" });
    public ILocator Article => article;
    public ILocator Author => article.GetByTestId("author");
    public ILocator Body => article.Locator(".comment-body");
    public ILocator QuotedToggle => article.GetByText("Show quoted text", new() { Exact = true });
    public ILocator QuotedText => article.Locator("details.quoted pre");
}
