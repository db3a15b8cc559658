using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>The image previews among a post's or task's attachments.</summary>
public static class Thumbnails
{
    /// <summary>The preview of one image attachment: an image named after the file, inside its download link.</summary>
    public static ILocator Of(ILocator container, string fileName) =>
        container.GetByRole(AriaRole.Link).GetByRole(AriaRole.Img, new() { Name = fileName, Exact = true });

    /// <summary>The image's decoded width, once it loaded (0 when it did not).</summary>
    public static Task<int> NaturalWidthAsync(ILocator image) =>
        image.EvaluateAsync<int>("img => img.decode().then(() => img.naturalWidth, () => 0)");
}
