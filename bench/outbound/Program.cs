using System.Diagnostics;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Bench.Outbound;

/// <summary>
/// Issue 11's benchmark (bench/README.md, "Connected mailboxes"): sending from tasks and replies
/// coming back, through a real Mailroom server against a real Dovecot + Postfix on loopback, each
/// figure next to the same server driven by MailKit alone. Arguments: the figures to run (send,
/// latency, schedule, catchup, accounts; all by default). BENCH_QUICK=1: small counts.
/// </summary>
internal static class Program
{
    public static string WatchUser(int i) => $"watch{i:D4}";

    public static async Task<int> Main(string[] args)
    {
        var quick = Environment.GetEnvironmentVariable("BENCH_QUICK") == "1";
        string[] all = ["send", "latency", "schedule", "catchup", "accounts"];
        var run = args.Length > 0 ? args : all;
        if (run.Except(all).ToList() is { Count: > 0 } unknown)
        {
            Console.Error.WriteLine($"Unknown figure(s): {string.Join(", ", unknown)}; known: {string.Join(", ", all)}.");
            return 2;
        }
        int Knob(string name, int full, int small) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : quick ? small : full;
        var sends = Knob("BENCH_SENDS", 500, 50);
        var replies = Knob("BENCH_REPLIES", 100, 20);
        var scheduled = Knob("BENCH_SCHEDULED", 200, 40);
        var catchUp = Knob("BENCH_CATCHUP", 10_000, 500);
        var accounts = Knob("BENCH_ACCOUNTS", 1_000, 50);
        var rest = TimeSpan.FromSeconds(Knob("BENCH_REST", 60, 15));

        var load = File.ReadAllText("/proc/loadavg").Split(' ').Take(3);
        Console.WriteLine($"Connected-mailbox benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, nproc {Environment.ProcessorCount}, loadavg {string.Join(' ', load)}, figures {string.Join(',', run)}");
        var users = new List<(string, string)> { ("mia", Workspace.Password), ("max", Workspace.Password) };
        var watchers = run.Contains("accounts") ? accounts : 0;
        users.AddRange(Enumerable.Range(1, watchers).Select(i => (WatchUser(i), Workspace.Password)));
        // One IMAP process per session (Dovecot's default), so 1,000 sessions need 1,000 processes,
        // and as many logins at once when Mailroom starts watching them all.
        var scale = $"""
            default_process_limit = {watchers + 200}
            default_client_limit = {Math.Max(1000, 4 * watchers)}
            mail_max_userip_connections = 200
            """;
        await using var mail = await MailServer.StartAsync(users, dovecotSettings: scale);
        var figures = new List<Figure>();
        foreach (var name in run)
        {
            var watch = Stopwatch.StartNew();
            Console.WriteLine($"-- {name} …");
            try
            {
                var got = name switch
                {
                    "send" => await Figures.SendAsync(mail, sends),
                    "latency" => await Figures.LatencyAsync(mail, replies),
                    "schedule" => await Figures.ScheduleAsync(mail, scheduled, TimeSpan.FromSeconds(quick ? 10 : 30)),
                    "catchup" => await Figures.CatchUpAsync(mail, catchUp),
                    _ => await Figures.AccountsAsync(mail, accounts, rest),
                };
                foreach (var f in got)
                {
                    Console.WriteLine($"   {f.Name}: Mailroom {f.Mailroom} | raw {f.Raw} | {f.Note}");
                }
                figures.AddRange(got);
            }
            catch (Exception e)
            {
                Console.WriteLine($"   {name} FAILED: {e}");
                figures.Add(new Figure(name, "FAILED: " + e.Message.Split('\n')[0], "", ""));
            }
            Console.WriteLine($"   ({watch.Elapsed.TotalSeconds:0} s, loadavg {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        }
        Console.WriteLine();
        Console.WriteLine("| figure | Mailroom | raw peer (MailKit straight to the same server) | note |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var f in figures)
        {
            Console.WriteLine($"| {f.Name} | {f.Mailroom} | {f.Raw} | {f.Note} |");
        }
        Console.WriteLine($"\nnproc {Environment.ProcessorCount}, loadavg at end {File.ReadAllText("/proc/loadavg").Trim()}");
        return figures.Any(f => f.Mailroom.StartsWith("FAILED", StringComparison.Ordinal)) ? 1 : 0;
    }
}
