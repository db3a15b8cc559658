using System.Text.RegularExpressions;
using Mailroom.Browser.Tests.Accessibility;
using Mailroom.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Mailroom.Browser.Tests;

/// <summary>
/// Issue 10, items 5 and 8: axe-core on every page for every role at a laptop's and a phone's
/// width, and no page pointing a role at a page it cannot open.
/// </summary>
public sealed class AccessibilityTests : BrowserTest
{
    private static readonly int[] Widths = [1280, 390];

    private static readonly (string Role, string Email)[] Roles =
    [
        ("owner", SeededWorkspace.OwnerEmail),
        ("member", SeededWorkspace.MemberEmail),
        ("guest", SeededWorkspace.GuestEmail),
    ];

    /// <summary>
    /// Every signed-in page, visited by every role (a page a role may not open shows its refusal,
    /// which is checked too). To check a new page, add a line.
    /// </summary>
    private static IReadOnlyList<(string Name, string Url)> SignedInPages(SeededWorkspace seed) =>
    [
        ("groups", "/groups"),
        ("group feed", $"/groups/{seed.GroupId}"),
        ("group members", $"/groups/{seed.GroupId}/members"),
        ("spaces", "/spaces"),
        ("space", $"/spaces/{seed.SpaceId}"),
        ("list", $"/lists/{seed.ListId}"),
        ("task", $"/tasks/{seed.TaskId}"),
        ("notifications", "/notifications"),
        ("email integrations", "/admin/integrations/email"),
        ("add an email integration", "/admin/integrations/email/add"),
        ("email app", "/admin/apps/email"),
        ("inbound log", "/admin/inbound"),
        ("members", "/admin/members"),
        ("security & permissions", "/admin/security"),
        ("profile", "/profile"),
        ("email accounts", "/settings/email-accounts"),
    ];

    [Fact]
    public Task EveryPage_ForOwnerMemberAndGuest_At1280And390Px_HasNoSeriousOrCriticalAxeViolation() => Browser.RunAsync(async page =>
    {
        var failures = new List<string>();
        await Axe.InstallAsync(Browser.Context);

        // Signed out: the first-run form (only until the workspace exists), then sign-in.
        await page.GotoAsync("/setup");
        await CheckAsync(page, "anonymous", "setup", failures);
        var seed = await SeededWorkspace.CreateAsync(Server);
        await page.GotoAsync("/signin");
        await CheckAsync(page, "anonymous", "sign-in", failures);

        foreach (var (role, email) in Roles)
        {
            var rolePage = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, email, Axe.InstallAsync);
            foreach (var (name, url) in SignedInPages(seed))
            {
                await rolePage.GotoAsync(url);
                await CheckAsync(rolePage, role, name, failures);
            }
            await rolePage.Context.CloseAsync();
        }

        Assert.True(failures.Count == 0, "axe-core found serious or critical violations:\n" + string.Join("\n", failures));
    });

    [Fact]
    public Task NoPage_PointsOwnerMemberOrGuest_AtAPageTheyCannotOpen_OrAtAFormTheyDoNotHave() => Browser.RunAsync(async _ =>
    {
        var seed = await SeededWorkspace.CreateAsync(Server);
        var failures = new List<string>();
        foreach (var (role, email) in Roles)
        {
            var page = await SeededWorkspace.SignInAsync(Browser.Context.Browser!, Server, email);
            // Every page reachable by following links from the groups page, as this role.
            var queue = new Queue<(string Url, string From)>([("/groups", "sign-in")]);
            var seen = new HashSet<string> { "/groups" };
            while (queue.Count > 0 && seen.Count < 80)
            {
                var (url, from) = queue.Dequeue();
                await page.GotoAsync(url);
                if (await page.Locator(".empty-state[role=alert]").CountAsync() > 0)
                {
                    failures.Add($"{role}: {from} links to {url}, which says: {(await page.Locator(".empty-state[role=alert] :is(h1, h2)").InnerTextAsync()).Trim()}");
                    continue;
                }
                if (role == "guest" && await page.GetByText(new Regex("create the first|below", RegexOptions.IgnoreCase)).CountAsync() > 0)
                {
                    failures.Add($"{role}: {url} tells a guest to create something: \"{await page.GetByText(new Regex("create the first|below", RegexOptions.IgnoreCase)).First.InnerTextAsync()}\"");
                }
                foreach (var href in await page.EvalOnSelectorAllAsync<string[]>("a[href]", "links => links.map(a => a.getAttribute('href'))"))
                {
                    var target = href.Split('#')[0];
                    if (target.StartsWith('/') && !target.StartsWith("//") && !target.StartsWith("/api/") && seen.Add(target))
                    {
                        queue.Enqueue((target, url));
                    }
                }
            }
            if (role != "owner")
            {
                Assert.DoesNotContain(seen, u => u.StartsWith("/admin/members") || u.StartsWith("/admin/apps") || u.StartsWith("/admin/inbound") || u.StartsWith("/admin/security"));
            }
            await page.Context.CloseAsync();
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    });

    private async Task CheckAsync(IPage page, string role, string name, List<string> failures)
    {
        foreach (var width in Widths)
        {
            await page.SetViewportSizeAsync(width, width > 900 ? 860 : 844);
            // app.js marks table boxes that scroll after a resize, on the next frame.
            await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
            foreach (var violation in await Axe.SeriousViolationsAsync(page))
            {
                failures.Add($"  {role} · {name} ({new Uri(page.Url).PathAndQuery}) at {width} px: {violation}");
            }
            await Screenshots.TakeAsync(page, $"a11y-{role}-{Regex.Replace(name, "[^a-z0-9]+", "-")}-{width}");
        }
        await page.SetViewportSizeAsync(1280, 860);
    }
}
