using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// An SMTP submission peer on a loopback socket that answers what a test tells it to, for the
/// replies no local server can be made to give: Outlook's "250 2.0.0 OK &lt;id&gt; [Hostname=…]"
/// after DATA, or Microsoft's "535 5.7.139 … SmtpClientAuthentication is disabled". It speaks just
/// enough of RFC 5321 for MailKit (EHLO with AUTH and SIZE, AUTH with an initial response, MAIL,
/// RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) and keeps every command and message it saw.
/// </summary>
public sealed class ScriptedSmtp : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _commands = [];
    private readonly List<byte[]> _messages = [];
    private readonly Task _accepting;

    private ScriptedSmtp()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The reply to an AUTH command (its whole line given); default: accepted.</summary>
    public Func<string, string> Auth { get; set; } = _ => "235 2.7.0 Authentication successful";

    /// <summary>The reply to a RCPT command (its whole line given); default: accepted.</summary>
    public Func<string, string> Rcpt { get; set; } = _ => "250 2.1.5 Ok";

    /// <summary>The reply to the final dot of DATA (the message given); default: Postfix's.</summary>
    public Func<byte[], string> DataReply { get; set; } = _ => "250 2.0.0 Ok: queued as 4XyZ";

    /// <summary>Every command line received, in order (AUTH lines with their credentials replaced by "…").</summary>
    public IReadOnlyList<string> Commands { get { lock (_commands) { return _commands.ToList(); } } }

    /// <summary>Every message accepted after DATA.</summary>
    public IReadOnlyList<byte[]> Messages { get { lock (_messages) { return _messages.ToList(); } } }

    public static ScriptedSmtp Start() => new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => SessionAsync(client));
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.Latin1);
            async Task Reply(string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"), _stop.Token);
            await Reply("220 scripted.test ESMTP");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                lock (_commands)
                {
                    _commands.Add(verb == "AUTH" ? string.Join(' ', line.Split(' ').Take(2)) + " …" : line);
                }
                switch (verb)
                {
                    case "EHLO":
                        await Reply("250-scripted.test\r\n250-SIZE 10485760\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN XOAUTH2\r\n250 ENHANCEDSTATUSCODES");
                        break;
                    case "AUTH":
                        await Reply(Auth(line));
                        break;
                    case "MAIL":
                        await Reply("250 2.1.0 Ok");
                        break;
                    case "RCPT":
                        await Reply(Rcpt(line));
                        break;
                    case "DATA":
                        await Reply("354 End data with <CR><LF>.<CR><LF>");
                        var message = await ReadDataAsync(reader);
                        var reply = DataReply(message);
                        if (reply.StartsWith('2'))
                        {
                            lock (_messages)
                            {
                                _messages.Add(message);
                            }
                        }
                        await Reply(reply);
                        break;
                    case "QUIT":
                        await Reply("221 2.0.0 Bye");
                        return;
                    case "RSET" or "NOOP":
                        await Reply("250 2.0.0 Ok");
                        break;
                    default:
                        await Reply("502 5.5.2 Command not recognised");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up, or the peer is stopping.
        }
    }

    /// <summary>The message text up to the lone dot, dot-unstuffed (RFC 5321 4.5.2), lines ending in CRLF.</summary>
    private async Task<byte[]> ReadDataAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        while (await reader.ReadLineAsync(_stop.Token) is { } line && line != ".")
        {
            text.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
