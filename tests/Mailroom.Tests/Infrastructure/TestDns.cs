using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// A real DNS server on loopback (ARSoft.Tools.Net's <see cref="DnsServer"/>, UDP and TCP on one port)
/// answering TXT questions from a zone the test fills in: SPF, DKIM keys and DMARC records.
/// Every other name is NXDOMAIN.
/// </summary>
public sealed class TestDns : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, List<string>> _txt = new(StringComparer.OrdinalIgnoreCase);
    private readonly DnsServer _server;
    private int _queries;

    public TestDns()
    {
        // A port free for UDP may be taken on TCP (or taken by another test meanwhile): try another.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeUdpPort();
            var endpoint = new IPEndPoint(IPAddress.Loopback, Port);
            var server = new DnsServer(new UdpServerTransport(endpoint), new TcpServerTransport(endpoint));
            try
            {
                server.Start();
                _server = server;
                break;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 10)
            {
                try
                {
                    server.Stop(); // Frees the UDP side, bound before the TCP side failed.
                }
                catch (Exception stop) when (stop is SocketException or ObjectDisposedException or InvalidOperationException or NullReferenceException)
                {
                }
            }
        }
        _server.QueryReceived += OnQueryAsync;
    }

    public int Port { get; }

    /// <summary>For <c>Mailroom:Verification:DnsServers</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public int Queries => Volatile.Read(ref _queries);

    public TestDns Txt(string name, string value)
    {
        _txt.GetOrAdd(name.TrimEnd('.'), _ => []).Add(value);
        return this;
    }

    /// <summary>A UDP port nobody answers on (and whose TCP side is closed): for "the DNS is dead".</summary>
    public static int FreeUdpPort()
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }

    private Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
    {
        Interlocked.Increment(ref _queries);
        if (e.Query is not DnsMessage query)
        {
            return Task.CompletedTask;
        }
        var response = query.CreateResponseInstance();
        response.IsAuthoritiveAnswer = true;
        response.ReturnCode = ReturnCode.NxDomain;
        foreach (var question in query.Questions)
        {
            var name = question.Name.ToString().TrimEnd('.');
            if (_txt.TryGetValue(name, out var values))
            {
                response.ReturnCode = ReturnCode.NoError;
                if (question.RecordType is RecordType.Txt or RecordType.Any)
                {
                    foreach (var value in values)
                    {
                        response.AnswerRecords.Add(new TxtRecord(question.Name, 300, Split(value)));
                    }
                }
            }
        }
        e.Response = response;
        return Task.CompletedTask;
    }

    /// <summary>TXT strings are at most 255 bytes each (RFC 1035 §3.3.14); a DKIM key is longer.</summary>
    private static IEnumerable<string> Split(string value)
    {
        for (var i = 0; i < value.Length; i += 255)
        {
            yield return value.Substring(i, Math.Min(255, value.Length - i));
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            _server.Stop();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OperationCanceledException))
        {
            // Stop cancels the transports' pending receives and reports them; they are what stopping means.
        }
        return ValueTask.CompletedTask;
    }
}
