using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// Outlook's submission server on loopback, standing in for smtp.office365.com (which cannot run
/// here) in the one habit no local server has: it gives every message an id of its own and names
/// it in the final reply, "250 2.0.0 OK &lt;id&gt; [Hostname=…]" (RFC 5321 4.2 allows any text
/// there). It takes any PLAIN login, keeps each message it accepted, and delivers nothing.
/// </summary>
public sealed class OutlookSmtpStandIn : IAsyncDisposable
{
    private const string Host = "AM0PR01MB1234.eurprd01.prod.outlook.test";
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _next;

    private OutlookSmtpStandIn()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The id each accepted message was given, with the message as it arrived.</summary>
    public ConcurrentQueue<(string Id, string Message)> Accepted { get; } = new();

    public static OutlookSmtpStandIn Start() => new();

    private async Task AcceptAsync()
    {
        var sessions = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                sessions.Add(ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(sessions).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        try
        {
            await writer.WriteLineAsync($"220 {Host} Microsoft ESMTP MAIL Service ready");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync($"250-{Host} Hello");
                        await writer.WriteLineAsync("250-SIZE 157286400");
                        await writer.WriteLineAsync("250-8BITMIME");
                        await writer.WriteLineAsync("250 AUTH PLAIN");
                        break;
                    case "AUTH":
                        if (line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 3)
                        {
                            // No initial response (RFC 4954 4): ask for it.
                            await writer.WriteLineAsync("334 ");
                            await reader.ReadLineAsync(_stop.Token);
                        }
                        await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 Start mail input; end with <CRLF>.<CRLF>");
                        var message = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                        {
                            message.Append(data.StartsWith("..", StringComparison.Ordinal) ? data[1..] : data).Append("\r\n");
                        }
                        var id = $"AM0PR01MB1234{Interlocked.Increment(ref _next):D6}@{Host}";
                        Accepted.Enqueue((id, message.ToString()));
                        await writer.WriteLineAsync($"250 2.0.0 OK <{id}> [Hostname={Host}]");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Service closing transmission channel");
                        return;
                    default:
                        // MAIL, RCPT, RSET, NOOP: accepted.
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The client went away or the stand-in stops: the session ends with it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
