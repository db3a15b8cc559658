using System.Net.Sockets;
using System.Text;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// A minimal SMTP client over a real socket that sends a message's bytes as they are (MailKit
/// would re-serialise them), normalising bare LF to CRLF as a relaying MTA does.
/// </summary>
public sealed class RawSmtp : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private NetworkStream _stream = null!;
    private StreamReader _reader = null!;

    private RawSmtp(System.Net.IPAddress? from) =>
        _tcp = from is null ? new TcpClient() : new TcpClient(new System.Net.IPEndPoint(from, 0));

    /// <summary>Connects (from <paramref name="from"/>: another loopback address is another client), reads the greeting and greets.</summary>
    public static async Task<RawSmtp> ConnectAsync(int port, string command = "EHLO", System.Net.IPAddress? from = null)
    {
        var client = await OpenAsync(port, from);
        await client.ReadReplyAsync();
        await client.CommandAsync($"{command} test.client");
        return client;
    }

    /// <summary>Connects without reading anything: the greeting is the caller's.</summary>
    public static async Task<RawSmtp> OpenAsync(int port, System.Net.IPAddress? from = null)
    {
        var client = new RawSmtp(from);
        await client._tcp.ConnectAsync("127.0.0.1", port);
        client._stream = client._tcp.GetStream();
        client._reader = new StreamReader(client._stream, Encoding.Latin1);
        return client;
    }

    /// <summary>Writes raw bytes as they are, without waiting for a reply.</summary>
    public async Task WriteAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends one command and returns the last line of its reply.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
        return await ReadReplyAsync();
    }

    /// <summary>Writes a line without waiting for any reply (e.g. message text inside DATA).</summary>
    public async Task WriteLineAsync(string line) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    public async Task<string> ReadReplyAsync()
    {
        while (true)
        {
            var line = await _reader.ReadLineAsync() ?? throw new IOException("The server closed the connection.");
            if (line.Length < 4 || line[3] != '-')
            {
                return line;
            }
        }
    }

    /// <summary>MAIL, RCPT for each recipient, DATA; returns the reply to the final dot (or the first refusal).</summary>
    public async Task<string> SendAsync(string from, IEnumerable<string> recipients, byte[] message)
    {
        var reply = await CommandAsync($"MAIL FROM:<{from}>");
        if (!reply.StartsWith('2'))
        {
            return reply;
        }
        foreach (var rcpt in recipients)
        {
            reply = await CommandAsync($"RCPT TO:<{rcpt}>");
            if (!reply.StartsWith('2'))
            {
                await CommandAsync("RSET");
                return reply;
            }
        }
        reply = await CommandAsync("DATA");
        if (!reply.StartsWith("354", StringComparison.Ordinal))
        {
            return reply;
        }
        await _stream.WriteAsync(DotStuff(message));
        return await ReadReplyAsync();
    }

    public static byte[] DotStuff(byte[] message)
    {
        var output = new MemoryStream(message.Length + 64);
        var atLineStart = true;
        for (var i = 0; i < message.Length; i++)
        {
            var b = message[i];
            if (b == (byte)'\n' && (i == 0 || message[i - 1] != (byte)'\r'))
            {
                output.WriteByte((byte)'\r');
            }
            if (atLineStart && b == (byte)'.')
            {
                output.WriteByte((byte)'.');
            }
            output.WriteByte(b);
            atLineStart = b == (byte)'\n';
        }
        if (!atLineStart)
        {
            output.Write("\r\n"u8);
        }
        output.Write(".\r\n"u8);
        return output.ToArray();
    }

    /// <summary>Drops the connection without QUIT.</summary>
    public void Abort() => _tcp.Client.Close(0);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_tcp.Connected)
            {
                await CommandAsync("QUIT");
            }
        }
        catch (IOException)
        {
        }
        _tcp.Dispose();
    }
}
