using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Smtp.Tests.Infrastructure;

/// <summary>A plain socket speaking bytes, for what a well-behaved client library would never send.</summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private Stream _stream;
    private StreamReader _reader;

    private RawSmtpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, new UTF8Encoding(false));
    }

    /// <summary>Connects to the server on 127.0.0.1, from <paramref name="from"/> (another loopback address is another client).</summary>
    public static async Task<RawSmtpClient> ConnectAsync(int port, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawSmtpClient(socket);
    }

    public async Task SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one byte per write, so the server sees every possible buffer boundary.</summary>
    public async Task SendByteByByteAsync(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            await _stream.WriteAsync(bytes.AsMemory(i, 1));
        }
    }

    /// <summary>The next reply line without CRLF, or null once the server has closed.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            return await _reader.ReadLineAsync(timeout.Token);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads lines up to the last line of a reply (the one with a space after the code).</summary>
    public async Task<string> ReadReplyAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new InvalidOperationException("connection closed");
            if (line.Length < 4 || line[3] != '-')
            {
                return line;
            }
        }
    }

    /// <summary>Switches to TLS after a 220 to STARTTLS, trusting any certificate.</summary>
    public async Task StartTlsAsync()
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("mx.mailroom.test");
        _stream = tls;
        _reader = new StreamReader(tls, new UTF8Encoding(false));
    }

    public void Abort() => _socket.Close(0);

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
    }
}
