using System.Diagnostics;
using System.Net.Sockets;

namespace Mailroom.Tests.Infrastructure;

/// <summary>What every real daemon the tests start needs: run a command to its end, wait for a port.</summary>
internal static class Daemons
{
    public static async Task<string> RunAsync(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await output}{await error}");
        }
        return await output + await error;
    }

    /// <summary>Waits until something accepts connections on the loopback port; <paramref name="log"/> explains a time-out.</summary>
    public static async Task WaitForPortAsync(int port, Func<string> log, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException ex)
            {
                throw new TimeoutException($"Nothing listens on port {port} after {seconds} s:\n{log()}", ex);
            }
        }
    }

    /// <summary>Waits for a process (by pid) to be gone, up to <paramref name="seconds"/>.</summary>
    public static async Task WaitForExitAsync(int pid, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Stops a Postfix instance by its master's pid file: SIGTERM to the master (what `postfix stop`
    /// does, without `postfix-script`, whose own logging through postlogd was seen to hang for good),
    /// then SIGKILL if it has not gone within 15 s.
    /// </summary>
    public static async Task StopPostfixAsync(string pidFile)
    {
        // Read by cat: the master holds a lock on its pid file that .NET's FileStream refuses.
        if (!File.Exists(pidFile) || !int.TryParse((await RunAsync("cat", pidFile)).Trim(), out var pid))
        {
            return;
        }
        foreach (var signal in new[] { "-TERM", "-KILL" })
        {
            try
            {
                await RunAsync("kill", signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (InvalidOperationException)
            {
                return; // Not running (it failed to start, or went already).
            }
            await WaitForExitAsync(pid, 15);
            if (!Directory.Exists($"/proc/{pid}"))
            {
                return;
            }
        }
    }

    public static void RequireRoot(string what)
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"{what} must run as root: run the tests as root (test.sh in CI does).");
        }
    }

    public static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
