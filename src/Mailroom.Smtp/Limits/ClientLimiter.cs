using System.Net;
using Microsoft.Extensions.Options;

namespace Mailroom.Smtp.Limits;

/// <summary>
/// Per-client-address counters, as Postfix's anvil(8) keeps them: sessions open now, and
/// connections, messages and recipients in the current minute. A limit reached by one address
/// refuses only that address; exempt networks are never counted.
/// </summary>
/// <remarks>
/// Rates use a fixed one-minute window per client (anvil's <c>anvil_rate_time_unit</c>): one
/// comparison and one increment per event. Connecting and disconnecting take the limiter's lock;
/// MAIL and RCPT take only their client's. Addresses are counted one by one (IPv6 too, as anvil
/// does); clients with no session and nothing counted in the last minute are forgotten once a minute.
/// </remarks>
public sealed class ClientLimiter
{
    private readonly SmtpServerOptions _options;
    private readonly TimeProvider _time;
    private readonly IPNetwork[] _exempt;
    private readonly Dictionary<IPAddress, Client> _clients = new();
    private readonly Lock _lock = new();
    private readonly long _window;
    private long _nextSweep;

    public ClientLimiter(IOptions<SmtpServerOptions> options, TimeProvider? time = null)
    {
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _window = _time.TimestampFrequency * 60;
        ClientNetworks.TryParse(_options.LimitExemptNetworks, out _exempt, out _);
        _nextSweep = _time.GetTimestamp() + _window;
    }

    /// <summary>
    /// Admits a new connection, or says which limit it hits. <paramref name="client"/> is null for
    /// an exempt or unknown address; otherwise it must be given back to <see cref="Release"/>.
    /// </summary>
    public Refusal Admit(EndPoint? remote, out Client? client)
    {
        client = null;
        // LMTP (RFC 2033) is spoken only by the MTA in front, never by the Internet: throttling it
        // would only back up its queue, and Postfix never limits its own LMTP deliveries either.
        if (_options.IsLmtp || remote is not IPEndPoint ip)
        {
            return Refusal.None;
        }
        var address = ClientNetworks.Normalize(ip.Address);
        foreach (var network in _exempt)
        {
            if (network.Contains(address))
            {
                return Refusal.None;
            }
        }
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (now >= _nextSweep)
            {
                Sweep(now);
            }
            if (!_clients.TryGetValue(address, out client))
            {
                client = new Client(this);
                _clients[address] = client;
            }
            // Every attempt counts towards the rate, refused or not, as anvil counts them.
            client.Sessions++;
            var connections = client.Connections.Count(now, _window);
            if (_options.MaxSessionsPerClient > 0 && client.Sessions > _options.MaxSessionsPerClient)
            {
                client.Sessions--;
                client = null;
                return Refusal.TooManySessions;
            }
            if (_options.MaxConnectionsPerMinute > 0 && connections > _options.MaxConnectionsPerMinute)
            {
                client.Sessions--;
                client = null;
                return Refusal.ConnectionRate;
            }
            return Refusal.None;
        }
    }

    public void Release(Client? client)
    {
        if (client is null)
        {
            return;
        }
        lock (_lock)
        {
            client.Sessions--;
        }
    }

    /// <summary>Forgets clients with no session and no count in the current window, once a minute.</summary>
    private void Sweep(long now)
    {
        _nextSweep = now + _window;
        List<IPAddress>? idle = null;
        foreach (var (address, client) in _clients)
        {
            if (client.Sessions == 0 && client.IsQuiet(now, _window))
            {
                (idle ??= []).Add(address);
            }
        }
        foreach (var address in idle ?? [])
        {
            _clients.Remove(address);
        }
    }

    public enum Refusal
    {
        None,
        TooManySessions,
        ConnectionRate,
    }

    /// <summary>The counters of one client address.</summary>
    public sealed class Client(ClientLimiter limiter)
    {
        internal int Sessions;
        internal Window Connections;
        private Window _messages;
        private Window _recipients;
        private readonly Lock _lock = new();

        /// <summary>Counts a MAIL command; false when the client is over its message rate.</summary>
        public bool TryStartMessage() => Count(ref _messages, limiter._options.MaxMessagesPerMinute);

        /// <summary>Counts a RCPT command; false when the client is over its recipient rate.</summary>
        public bool TryAddRecipient() => Count(ref _recipients, limiter._options.MaxRecipientsPerMinute);

        /// <summary>Only asked of clients without sessions, whose message and recipient windows no longer change.</summary>
        internal bool IsQuiet(long now, long window) =>
            Connections.IsOver(now, window) && _messages.IsOver(now, window) && _recipients.IsOver(now, window);

        private bool Count(ref Window window, int limit)
        {
            if (limit <= 0)
            {
                return true;
            }
            var now = limiter._time.GetTimestamp();
            lock (_lock)
            {
                if (window.Count(now, limiter._window) <= limit)
                {
                    return true;
                }
                // A refused attempt is not counted, so the client may resume once the window turns.
                window.Events--;
                return false;
            }
        }
    }

    internal struct Window
    {
        private long _start;
        internal int Events;

        /// <summary>Counts one event and returns the count in the current window.</summary>
        public int Count(long now, long length)
        {
            if (Events == 0 || now - _start >= length)
            {
                _start = now;
                Events = 0;
            }
            return ++Events;
        }

        public readonly bool IsOver(long now, long length) => Events == 0 || now - _start >= length;
    }
}
