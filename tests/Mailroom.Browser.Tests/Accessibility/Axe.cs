using System.Text.Json;
using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Accessibility;

/// <summary>
/// axe-core (npm, installed by test.sh into tests/Mailroom.Browser.Tests/axe, or the file named by
/// MAILROOM_AXE) run inside the page. Given to a context as an init script: it loads into every
/// document before the page's own scripts, and the page's Content-Security-Policy stays as served.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() => File.ReadAllText(Locate()));

    public static Task InstallAsync(IBrowserContext context) => context.AddInitScriptAsync(Source.Value);

    /// <summary>The violations of impact serious or critical on the page as it is now.</summary>
    public static async Task<IReadOnlyList<Violation>> SeriousViolationsAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ["violations"] });
              return JSON.stringify(result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " ")) })));
            }
            """);
        return JsonSerializer.Deserialize<List<Violation>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    public sealed record Violation(string Id, string Impact, string Help, IReadOnlyList<string> Targets)
    {
        public override string ToString() => $"{Id} ({Impact}): {Help}\n      " + string.Join("\n      ", Targets);
    }

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("MAILROOM_AXE");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"MAILROOM_AXE names {configured}, which does not exist.");
        }
        // From bin/Debug/net10.0 up to the project folder, where test.sh installs it.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "axe", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(
            "axe-core is not installed: run `npm install --no-save --prefix tests/Mailroom.Browser.Tests/axe axe-core@4.14.1` (test.sh does), or set MAILROOM_AXE to axe.min.js.");
    }
}
