using System.Collections.Concurrent;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Options;

namespace Mailroom.Inbound.Verification;

/// <summary>
/// The one DNS client of the verifier: asks the configured servers in order, each question bounded
/// by <see cref="VerificationOptions.DnsQueryTimeout"/>, and keeps answers (also "no such name") for
/// their TTL in a cache of bounded size. A failure is never cached, so a DNS that comes back is used again.
/// When no server answered at all, the DNS counts as down for <see cref="DownFor"/>: questions not in the
/// cache fail at once instead of each waiting out its timeout, so a queue of mail behind a dead DNS
/// drains at processing speed (unverified) rather than at one message per budget.
/// </summary>
public sealed partial class CachingDnsResolver(IOptions<VerificationOptions> options, TimeProvider clock, ILogger<CachingDnsResolver> logger)
{
    private static readonly TimeSpan MaxTtl = TimeSpan.FromHours(1);
    private static readonly TimeSpan NegativeTtl = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<(string Name, RecordType Type), (IReadOnlyList<DnsRecordBase> Records, DateTimeOffset Expires)> _cache = new();
    private static readonly TimeSpan DownFor = TimeSpan.FromSeconds(10);
    private long _downUntilTicks;
    private readonly Lazy<IReadOnlyList<DnsClient>> _clients = new(() => CreateClients(options.Value));

    public async Task<IReadOnlyList<DnsRecordBase>> ResolveAsync(DomainName name, RecordType type, CancellationToken cancellationToken)
    {
        var key = (name.ToString().ToLowerInvariant(), type);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Expires > now)
        {
            return cached.Records;
        }
        if (now.UtcTicks < Interlocked.Read(ref _downUntilTicks))
        {
            throw new DnsTempErrorException($"DNS is down; {name} {type} not asked");
        }
        var timeout = options.Value.DnsQueryTimeout;
        var anyAnswer = false;
        foreach (var client in _clients.Value)
        {
            DnsMessage? answer;
            try
            {
                // WaitAsync as well: the client's own timeout does not cover every path (e.g. a TCP retry).
                answer = await client.ResolveAsync(name, type, RecordClass.INet, null, cancellationToken).WaitAsync(timeout * 2, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogDnsFailed(name.ToString(), type.ToString(), e.Message);
                continue;
            }
            anyAnswer |= answer is not null;
            if (answer is null || answer.ReturnCode is not (ReturnCode.NoError or ReturnCode.NxDomain))
            {
                LogDnsFailed(name.ToString(), type.ToString(), answer?.ReturnCode.ToString() ?? "no answer");
                continue;
            }
            IReadOnlyList<DnsRecordBase> records = answer.AnswerRecords.Where(r => r.RecordType == type).ToList();
            var ttl = records.Count == 0 ? NegativeTtl : TimeSpan.FromSeconds(Math.Max(0, records.Min(r => r.TimeToLive)));
            Remember(key, records, now + (ttl > MaxTtl ? MaxTtl : ttl));
            return records;
        }
        if (!anyAnswer && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _downUntilTicks, (clock.GetUtcNow() + DownFor).UtcTicks);
            LogDnsDown(DownFor.TotalSeconds);
        }
        throw new DnsTempErrorException($"no DNS answer for {name} {type}");
    }

    private void Remember((string, RecordType) key, IReadOnlyList<DnsRecordBase> records, DateTimeOffset expires)
    {
        var max = options.Value.DnsCacheSize;
        if (max == 0)
        {
            return;
        }
        if (_cache.Count >= max)
        {
            var now = clock.GetUtcNow();
            foreach (var old in _cache.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
            {
                _cache.TryRemove(old, out _);
            }
            if (_cache.Count >= max)
            {
                // Full of live answers: start again rather than track recency; costs a few repeated questions.
                _cache.Clear();
            }
        }
        _cache[key] = (records, expires);
    }

    /// <summary>One client per distinct port (ARSoft's client has one port for all its servers), in the configured order.</summary>
    private static IReadOnlyList<DnsClient> CreateClients(VerificationOptions options)
    {
        var timeoutMs = (int)Math.Max(1, options.DnsQueryTimeout.TotalMilliseconds);
        return DnsEndpoints.From(options)
            .GroupBy(e => e.Port)
            .Select(g => new DnsClient(g.Select(e => e.Address).ToList(),
                [new UdpClientTransport(g.Key), new TcpClientTransport(g.Key)], false, timeoutMs))
            .ToList();
    }

    [LoggerMessage(EventId = 3404, Level = LogLevel.Warning, Message = "No DNS server answered: sender verification treats DNS as down for {Seconds} s (messages stay unverified, temperror)")]
    private partial void LogDnsDown(double seconds);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Debug, Message = "DNS {Name} {Type} failed: {Reason}")]
    private partial void LogDnsFailed(string name, string type, string reason);
}
