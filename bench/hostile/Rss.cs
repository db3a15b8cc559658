using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Mailroom.Hostile;

/// <summary>
/// Starts the real server in a fresh data directory, sends it one email of the given size (text
/// and attachments of 4 MB) over SMTP, and samples the server's VmRSS every 20 ms from /proc
/// while it receives and then processes it: the figures are what the process adds, seen from outside.
/// </summary>
internal static class Rss
{
    public static async Task RunAsync(string serverDll, int size)
    {
        await ReceiveAndProcessAsync(serverDll, size);
        // Processing alone: the email is received by a server whose processor is off, and
        // processed by a fresh server on the same data; its peak minus that of the same steps
        // with a small email is what processing the large one adds.
        var small = await ProcessingPeakAsync(serverDll, 200 * 1024);
        var large = await ProcessingPeakAsync(serverDll, size);
        Console.WriteLine($"processing only (fresh server, email pending at start): VmHWM {small / 1024.0:F0} MB with a 0.2 MB email, {large / 1024.0:F0} MB with a {size / 1048576.0:F0} MB one: +{(large - small) / 1024.0:F0} MB");
    }

    private static async Task<long> ProcessingPeakAsync(string serverDll, int size)
    {
        var data = Directory.CreateTempSubdirectory("mailroom-rss-").FullName;
        var http = FreePort();
        var smtp = FreePort();
        try
        {
            string address;
            using (var receiver = Start(serverDll, data, http, smtp, "--Mailroom:Inbound:BatchSize=0"))
            {
                using var client = await ReadyAsync(http, receiver);
                address = await SetupAsync(client);
                await SendAsync(smtp, address, Message(address, size));
                receiver.Kill();
                await receiver.WaitForExitAsync();
            }
            using var processor = Start(serverDll, data, http, smtp);
            using (var client = await ReadyAsync(http, processor))
            {
                var token = await client.PostAsJsonAsync("/api/auth/token", new { email = "owner@rss.test", password = "rss-password-1" });
                client.DefaultRequestHeaders.Authorization = new("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
                await WaitProcessedAsync(client);
            }
            var peak = Status(processor.Id, "VmHWM");
            processor.Kill();
            await processor.WaitForExitAsync();
            return peak;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static Process Start(string serverDll, string data, int http, int smtp, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet", [Path.GetFullPath(serverDll), $"--urls=http://127.0.0.1:{http}", $"--Mailroom:DataDirectory={data}", $"--Mailroom:Smtp:Port={smtp}", "--Logging:LogLevel:Default=Warning", .. extra])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(serverDll))!,
        };
        var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return server;
    }

    private static async Task<HttpClient> ReadyAsync(int http, Process server)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        for (var i = 0; ; i++)
        {
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return client;
                }
            }
            catch (HttpRequestException) when (i < 300 && !server.HasExited)
            {
            }
            await Task.Delay(100);
        }
    }

    private static async Task<string> SetupAsync(HttpClient client)
    {
        var setup = await (await client.PostAsJsonAsync("/api/setup", new { workspaceName = "Rss", ownerName = "Rss Owner", email = "owner@rss.test", password = "rss-password-1" })).Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new("Bearer", setup.GetProperty("token").GetString());
        var integration = await (await client.PostAsJsonAsync("/api/integrations/email", new { newGroupName = "Rss", title = "Rss" })).Content.ReadFromJsonAsync<JsonElement>();
        return integration.GetProperty("address").GetString()!;
    }

    private static async Task ReceiveAndProcessAsync(string serverDll, int size)
    {
        var data = Directory.CreateTempSubdirectory("mailroom-rss-").FullName;
        var http = FreePort();
        var smtp = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.GetFullPath(serverDll), $"--urls=http://127.0.0.1:{http}", $"--Mailroom:DataDirectory={data}", $"--Mailroom:Smtp:Port={smtp}", "--Logging:LogLevel:Default=Warning"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(serverDll))!,
        };
        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
            for (var i = 0; ; i++)
            {
                try
                {
                    if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (i < 300)
                {
                }
                await Task.Delay(100);
            }
            var setup = await (await client.PostAsJsonAsync("/api/setup", new { workspaceName = "Rss", ownerName = "Rss Owner", email = "owner@rss.test", password = "rss-password-1" })).Content.ReadFromJsonAsync<JsonElement>();
            client.DefaultRequestHeaders.Authorization = new("Bearer", setup.GetProperty("token").GetString());
            var integration = await (await client.PostAsJsonAsync("/api/integrations/email", new { newGroupName = "Rss", title = "Rss" })).Content.ReadFromJsonAsync<JsonElement>();
            var address = integration.GetProperty("address").GetString()!;

            // Warm up: one small email processed, so JIT and pools are in the baseline.
            await SendAsync(smtp, address, Message(address, 200 * 1024));
            await WaitProcessedAsync(client);
            GC.Collect();
            await Task.Delay(1000);
            var baseline = Status(server.Id, "VmRSS");

            var peak = baseline;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, Status(server.Id, "VmRSS"));
                    await Task.Delay(20);
                }
            });
            var raw = Message(address, size);
            var watch = Stopwatch.StartNew();
            await SendAsync(smtp, address, raw);
            var received = watch.Elapsed;
            var peakReceiving = peak;
            var atAccept = Status(server.Id, "VmRSS");
            await WaitProcessedAsync(client);
            var processed = watch.Elapsed;
            await sampling.CancelAsync();
            await sampler;
            var entry = (await client.GetFromJsonAsync<JsonElement>("/api/inbound?take=1"))[0];
            Console.WriteLine($"cores: {Environment.ProcessorCount}; email {raw.Length / 1048576.0:F1} MB; outcome: {entry.GetProperty("status")} — {entry.GetProperty("outcome")}");
            Console.WriteLine($"VmRSS baseline {baseline / 1024.0:F0} MB; peak while receiving {peakReceiving / 1024.0:F0} MB (+{(peakReceiving - baseline) / 1024.0:F0} MB, {received.TotalSeconds:F1} s); {atAccept / 1024.0:F0} MB at the 250; peak while processing {peak / 1024.0:F0} MB (+{(peak - baseline) / 1024.0:F0} MB, done {processed.TotalSeconds:F1} s after sending began); VmHWM {Status(server.Id, "VmHWM") / 1024.0:F0} MB");
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Text and then attachments of 4 MB each (kept: under the 5 MB limit), to about <paramref name="size"/> bytes.</summary>
    private static byte[] Message(string to, int size)
    {
        var random = new Random(40);
        var builder = new StringBuilder($"From: Big <big@example.test>\r\nTo: {to}\r\nSubject: big email\r\nMessage-ID: <{Guid.NewGuid():N}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe figures are attached.\r\n");
        var bytes = new byte[4 * 1024 * 1024];
        for (var i = 0; builder.Length < size - 5_600_000 || i == 0; i++)
        {
            random.NextBytes(bytes);
            builder.Append($"--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"part{i}.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            builder.Append(Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n");
        }
        return Encoding.ASCII.GetBytes(builder.Append("--b--\r\n").ToString());
    }

    private static async Task SendAsync(int port, string to, byte[] raw)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        async Task<string> ReplyAsync()
        {
            string line;
            do
            {
                line = (await reader.ReadLineAsync())!;
            }
            while (line.Length > 3 && line[3] == '-');
            return line;
        }
        async Task<string> CommandAsync(string command)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            return await ReplyAsync();
        }
        await ReplyAsync();
        await CommandAsync("EHLO rss.test");
        await CommandAsync("MAIL FROM:<big@example.test>");
        await CommandAsync($"RCPT TO:<{to}>");
        await CommandAsync("DATA");
        // Generated lines never start with a dot: no dot-stuffing needed.
        await stream.WriteAsync(raw);
        var done = await CommandAsync(".");
        if (!done.StartsWith("250", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"not accepted: {done}");
        }
        await CommandAsync("QUIT");
    }

    private static async Task WaitProcessedAsync(HttpClient client)
    {
        while ((await client.GetFromJsonAsync<JsonElement>("/api/inbound?status=pending&take=1")).GetArrayLength() > 0)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>A field of /proc/PID/status, in kB.</summary>
    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
