using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Mailroom.Inbound.Verification;

/// <summary>
/// The DNS of one message's verification: the shared cache, bounded by the message's budget, and
/// remembering whether any answer was missing, so a check whose library swallowed the failure is
/// still reported as temperror rather than as a plain "none" or "fail".
/// </summary>
public sealed class MessageDns(CachingDnsResolver resolver, CancellationToken budget) : IDnsResolver
{
    public bool HadTempError { get; private set; }

    public CancellationToken Budget => budget;

    public async Task<List<T>> ResolveAsync<T>(DomainName name, RecordType recordType = RecordType.A, RecordClass recordClass = RecordClass.INet, CancellationToken token = default)
        where T : DnsRecordBase
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget, token);
        try
        {
            var records = await resolver.ResolveAsync(name, recordType, linked.Token);
            return records.OfType<T>().ToList();
        }
        catch (Exception e) when (e is DnsTempErrorException or OperationCanceledException)
        {
            HadTempError = true;
            throw new DnsTempErrorException($"no DNS answer for {name} {recordType} in time");
        }
    }

    public List<T> Resolve<T>(DomainName name, RecordType recordType = RecordType.A, RecordClass recordClass = RecordClass.INet)
        where T : DnsRecordBase => ResolveAsync<T>(name, recordType, recordClass).GetAwaiter().GetResult();

    public void ClearCache()
    {
    }

    public void Dispose()
    {
    }

    /// <summary>The TXT strings of a name, each record's strings joined (RFC 7208 §3.3).</summary>
    public async Task<IReadOnlyList<string>> TxtAsync(string name)
    {
        var records = await ResolveAsync<TxtRecord>(DomainName.Parse(name), RecordType.Txt, RecordClass.INet, budget);
        return records.Select(r => string.Concat(r.TextParts)).ToList();
    }
}
