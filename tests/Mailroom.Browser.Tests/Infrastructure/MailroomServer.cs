using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Browser.Tests.Infrastructure;

/// <summary>
/// The built server, run as a real process from the test's output folder, with its own data
/// directory and free HTTP and SMTP ports.
/// </summary>
public sealed class MailroomServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataDirectory;

    private MailroomServer(Process process, string dataDirectory, Uri baseAddress, int smtpPort)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        SmtpPort = smtpPort;
    }

    public Uri BaseAddress { get; }
    public int SmtpPort { get; }

    /// <summary>What the server wrote so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="arguments">More configuration, e.g. <c>--Mailroom:Accounts:AllowPrivateHosts=true</c> for a mailbox on loopback.</param>
    public static async Task<MailroomServer> StartAsync(IEnumerable<string>? arguments = null)
    {
        var baseDirectory = AppContext.BaseDirectory;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mailroom-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var httpPort = Mailroom.Tests.Infrastructure.FreePort.Next();
        var smtpPort = Mailroom.Tests.Infrastructure.FreePort.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{httpPort}");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = baseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(baseDirectory, "Mailroom.dll"),
            "--contentRoot", baseDirectory,
            $"--Mailroom:DataDirectory={dataDirectory}",
            $"--urls={baseAddress}",
            $"--Mailroom:Smtp:Port={smtpPort}",
            "--Mailroom:Smtp:Address=127.0.0.1",
            // The tests' mail comes from 127.0.0.1 as an internal app's would: its From is believed,
            // and no DNS is asked (sender verification is tested in Mailroom.Tests).
            "--Mailroom:Verification:InternalNetworks:0=127.0.0.1/32",
        }.Concat(arguments ?? []))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Mailroom server.");
        var server = new MailroomServer(process, dataDirectory, baseAddress, smtpPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Mailroom server exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The Mailroom server was not healthy after {timeout.TotalSeconds} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder gets cleaned eventually.
        }
    }
}
