using Mailroom.Browser.Tests.Accessibility;
using Mailroom.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Browser.Tests;

/// <summary>Issue 10, item 3: on a 390-px phone the navigation folds behind a toggle and no page scrolls sideways.</summary>
public sealed class ResponsiveTests : BrowserTest
{
    [Fact]
    public Task Phone_ShowsTheMenuToggle_HidesTheSidebarUntilOpened_AndNoPageScrollsSideways() => Browser.RunAsync(async _ =>
    {
        var seed = await SeededWorkspace.CreateAsync(Server);
        var page = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, SeededWorkspace.OwnerEmail);
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });

        // A laptop: the sidebar is simply there.
        await page.GotoAsync($"/groups/{seed.GroupId}");
        await Expect(nav).ToBeVisibleAsync();
        await Expect(toggle).ToBeHiddenAsync();

        await page.SetViewportSizeAsync(390, 844);
        foreach (var url in new[] { $"/groups/{seed.GroupId}", $"/tasks/{seed.TaskId}", "/admin/members", "/admin/inbound" })
        {
            await page.GotoAsync(url);
            await Expect(toggle).ToBeVisibleAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
            await Expect(nav).ToBeHiddenAsync();
            var (scrollWidth, innerWidth) = await WidthsAsync(page);
            Assert.True(scrollWidth <= innerWidth, $"{url} is {scrollWidth} px wide in a {innerWidth}-px window");
        }

        // Opening and closing the menu (Escape gives focus back to the button).
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "phone-menu-open", fullPage: false);
        await page.Keyboard.PressAsync("Escape");
        await Expect(nav).ToBeHiddenAsync();
        await Expect(toggle).ToBeFocusedAsync();
        await toggle.ClickAsync();
        await nav.GetByRole(AriaRole.Link, new() { Name = "Spaces", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/spaces", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(nav).ToBeHiddenAsync();

        // The task's "⋯" menu opens inside the window, not off its left edge.
        await page.GotoAsync($"/tasks/{seed.TaskId}");
        await page.GetByLabel("Task menu").ClickAsync();
        var panel = page.Locator(".settings[open] .settings-panel");
        await Expect(panel).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "phone-task-menu", fullPage: false);
        var box = (await panel.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"The task menu spans {box.X}..{box.X + box.Width} px of a 390-px window");

        // So does a popover in a table that scrolls inside its box (a member's "Deactivate").
        await page.GotoAsync("/admin/members");
        await page.Locator("tr", new() { HasText = "Mia Member" }).GetByText("Deactivate", new() { Exact = true }).ClickAsync();
        var confirm = page.Locator(".settings[open] .settings-panel");
        await Expect(confirm).ToBeVisibleAsync();
        var confirmBox = (await confirm.BoundingBoxAsync())!;
        Assert.True(confirmBox.X >= 0 && confirmBox.X + confirmBox.Width <= 390, $"The Deactivate panel spans {confirmBox.X}..{confirmBox.X + confirmBox.Width} px of a 390-px window");
        Assert.True((await WidthsAsync(page)).ScrollWidth <= 390, "The open Deactivate panel widens the page");
        await Screenshots.TakeAsync(page, "phone-members-deactivate", fullPage: false);
        await page.GotoAsync($"/tasks/{seed.TaskId}");
        await page.GetByLabel("Task menu").ClickAsync();

        // Copying is announced through the field's live region, not only by the button's new label.
        var status = panel.Locator("[aria-live=polite]");
        await Expect(status).ToBeEmptyAsync();
        await panel.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Copy ") }).ClickAsync();
        await Expect(status).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Copied to the clipboard|Selected: press Ctrl\\+C to copy)$"));
    });

    [Fact]
    public Task Phone_WithoutScripts_PutsThePageFirst_AndLinksToTheNavigationBelowIt() => Browser.RunAsync(async _ =>
    {
        await SeededWorkspace.CreateAsync(Server);
        var context = await Browser.Context.Browser!.NewContextAsync(new() { BaseURL = Server.BaseAddress.ToString(), JavaScriptEnabled = false, ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(SeededWorkspace.MemberEmail);
        await page.GetByLabel("Password").FillAsync(SeededWorkspace.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Menu" })).ToBeHiddenAsync();
        var menuLink = page.GetByRole(AriaRole.Link, new() { Name = "Menu" });
        await Expect(menuLink).ToBeVisibleAsync();
        var main = (await page.GetByRole(AriaRole.Main).BoundingBoxAsync())!;
        var nav = (await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).BoundingBoxAsync())!;
        Assert.True(nav.Y >= main.Y + main.Height - 1, $"The navigation (top {nav.Y}) should follow the page (bottom {main.Y + main.Height})");
        await Screenshots.TakeAsync(page, "phone-no-script");
        await menuLink.ClickAsync();
        Assert.EndsWith("#sidebar", page.Url);
        await context.CloseAsync();
    });

    private static async Task<(int ScrollWidth, int InnerWidth)> WidthsAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        return (widths[0], widths[1]);
    }
}
