using System.Diagnostics;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// Real SMTP peers from Debian (installed by test.sh): swaks, as the README's walkthrough uses
/// it, and Postfix's own smtp-source speaking LMTP, as Postfix hands mail over in production.
/// </summary>
public class RealPeerTests
{
    [Fact]
    public async Task Swaks_WithAnAttachment_BecomesAPost()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Walkthrough");
        var file = Path.Combine(server.DataDirectory, "report.txt");
        await File.WriteAllTextAsync(file, "numbers and more numbers");

        var (exit, output) = await RunAsync("swaks",
            "--server", $"127.0.0.1:{server.SmtpPort}", "--to", integration.Address, "--from", "alice@example.com",
            "--header", "Subject: Hello group", "--body", "First post by email", "--attach", "@" + file);
        Assert.True(exit == 0, output);

        await server.Http.WaitUntilProcessedAsync();
        var post = Assert.Single(await server.Http.FeedAsync(integration.GroupId));
        Assert.Equal("Hello group", post.Title);
        Assert.Contains("First post by email", post.Body);
        Assert.Equal("alice@example.com", post.Author);
        Assert.Equal("report.txt", Assert.Single(post.Attachments).FileName);
    }

    [Fact]
    public async Task PostfixSmtpSource_OverLmtp_DeliversEveryMessageOnce()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite, new Dictionary<string, string> { ["Mailroom:Smtp:Mode"] = "lmtp" });
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Postfix");

        // -L: speak LMTP; 3 sessions in parallel, 30 messages of 4 KB.
        var (exit, output) = await RunAsync("smtp-source", "-L", "-s", "3", "-m", "30", "-l", "4096",
            "-f", "postfix@example.com", "-t", integration.Address, $"127.0.0.1:{server.SmtpPort}");
        Assert.True(exit == 0, output);

        await server.Http.WaitUntilProcessedAsync();
        var log = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=100");
        Assert.Equal(30, log.Count);
        Assert.All(log, e => Assert.Equal("posted", e.Status));
        Assert.Equal(30, (await server.Http.WholeFeedAsync(integration.GroupId)).Count);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
