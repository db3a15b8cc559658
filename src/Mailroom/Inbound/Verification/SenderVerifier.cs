using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Spf;
using MimeKit;
using MimeKit.Cryptography;
using Microsoft.Extensions.Options;

namespace Mailroom.Inbound.Verification;

/// <summary>
/// DKIM (RFC 6376, MimeKit's verifier), SPF (RFC 7208, ARSoft's validator) and DMARC alignment
/// (RFC 7489) of one message, in the processor, never before the SMTP reply. Every DNS question
/// shares one budget per message, so a dead or slow DNS makes the message unverified (temperror)
/// within that budget. Mail from the operator's internal networks, or judged by a trusted relay's
/// Authentication-Results, skips the checks; anyone else's Authentication-Results are ignored.
/// </summary>
public sealed partial class SenderVerifier(CachingDnsResolver resolver, IOptions<VerificationOptions> options, ILogger<SenderVerifier> logger) : ISenderVerifier
{
    /// <summary>More signatures than this are not looked at: each one costs DNS and a pass over the body.</summary>
    private const int MaxSignatures = 5;

    private readonly Lazy<IReadOnlyList<IPNetwork>> _internal = new(() => Networks.Parse(options.Value.InternalNetworks));
    private readonly Lazy<IReadOnlyList<(IReadOnlyList<IPNetwork> Networks, string AuthServId)>> _relays =
        new(() => options.Value.TrustedRelays.Select(r => (Networks.Parse(r.Networks), r.AuthServId.Trim())).ToList());

    public async Task<SenderVerdict> VerifyAsync(MimeMessage message, SenderEnvelope envelope, CancellationToken cancellationToken)
    {
        var fromDomain = message.From.Mailboxes.Count() == 1 && message.From.Count == 1 ? DomainOf(message.From.Mailboxes.First().Address) : null;
        if (!options.Value.Enabled)
        {
            return new SenderVerdict("none", [], "none", null, "none", null, null, fromDomain, true, SenderVerdict.Disabled, "verification off: every From is believed");
        }
        if (envelope.ClientAddress is { } client)
        {
            if (Networks.Contains(_internal.Value, client))
            {
                return new SenderVerdict("none", [], "none", null, "none", null, null, fromDomain, fromDomain is not null,
                    SenderVerdict.InternalNetwork, $"internal network {client}");
            }
            foreach (var (networks, authServId) in _relays.Value)
            {
                if (!Networks.Contains(networks, client))
                {
                    continue;
                }
                if (authServId.Length > 0)
                {
                    return TrustedResults.Read(message, authServId, fromDomain);
                }
                // A relay that does not verify (Postfix without milters): check the sender ourselves,
                // from the client the relay received it from, not from the relay's own address.
                var (relayed, helo) = RelayedClient.Read(message);
                if (relayed is null)
                {
                    return new SenderVerdict("none", [], "none", null, "none", null, null, fromDomain, false, SenderVerdict.TrustedRelay,
                        $"trusted relay {client} wrote no Received header naming its client");
                }
                if (Networks.Contains(_internal.Value, relayed))
                {
                    return new SenderVerdict("none", [], "none", null, "none", null, null, fromDomain, fromDomain is not null,
                        SenderVerdict.InternalNetwork, $"internal network {relayed} (via trusted relay {client})");
                }
                envelope = envelope with { ClientAddress = relayed, Helo = helo };
                break;
            }
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(options.Value.MessageBudget);
        var (dkim, dkimDomains) = await DkimAsync(message, budget.Token);
        var (spf, spfDomain) = await SpfAsync(envelope, budget.Token);
        var arc = message.Headers.Contains(HeaderId.ArcSeal) ? await ArcAsync(message, budget.Token) : null;
        var (dmarc, record) = fromDomain is null ? ("none", null) : await DmarcAsync(fromDomain, budget.Token);

        var alignedDkim = fromDomain is not null && dkimDomains.Any(d => OrganizationalDomain.Aligned(d, fromDomain, record?.StrictDkim ?? false));
        var alignedSpf = fromDomain is not null && spf == "pass" && OrganizationalDomain.Aligned(spfDomain, fromDomain, record?.StrictSpf ?? false);
        var authenticated = alignedDkim || alignedSpf;
        if (dmarc != "temperror" && record is not null)
        {
            dmarc = authenticated ? "pass" : "fail";
        }
        cancellationToken.ThrowIfCancellationRequested();

        var parts = new List<string>
        {
            dkimDomains.Count > 0 ? $"dkim=pass {string.Join(" ", dkimDomains.Select(d => $"header.d={d}"))}" : $"dkim={dkim}",
            spfDomain is null ? $"spf={spf}" : $"spf={spf} smtp.{(envelope.MailFrom.Length > 0 ? "mailfrom" : "helo")}={spfDomain}",
            $"dmarc={dmarc}{(record is null ? "" : $" (p={record.Policy})")} header.from={fromDomain ?? "(not one address)"}",
        };
        if (arc is not null)
        {
            parts.Add($"arc={arc}");
        }
        var verdict = new SenderVerdict(dkim, dkimDomains, spf, spfDomain, dmarc, record?.Policy, arc, fromDomain, authenticated, SenderVerdict.Checks, string.Join("; ", parts));
        LogVerdict(verdict.FromAuthenticated, verdict.Summary);
        return verdict;
    }

    private async Task<(string Result, IReadOnlyList<string> PassingDomains)> DkimAsync(MimeMessage message, CancellationToken budget)
    {
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).Take(MaxSignatures).ToList();
        if (signatures.Count == 0)
        {
            return ("none", []);
        }
        var dns = new MessageDns(resolver, budget);
        var verifier = new DkimVerifier(new DnsKeyLocator(dns));
        var passing = new List<string>();
        var temp = false;
        foreach (var signature in signatures)
        {
            try
            {
                if (await verifier.VerifyAsync(message, signature, budget) && Tag(signature.Value, "d") is { } domain)
                {
                    passing.Add(domain.ToLowerInvariant());
                }
            }
            catch (Exception e) when (e is DnsTempErrorException || (e is OperationCanceledException && budget.IsCancellationRequested))
            {
                temp = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A malformed signature, key or algorithm is a failed signature (RFC 6376 §6.1), not a crash.
                LogBadSignature(e.Message);
            }
        }
        return (passing.Count > 0 ? "pass" : temp || dns.HadTempError ? "temperror" : "fail", passing.Distinct().ToList());
    }

    private async Task<(string Result, string? Domain)> SpfAsync(SenderEnvelope envelope, CancellationToken budget)
    {
        var sender = envelope.MailFrom.Length > 0 ? envelope.MailFrom : envelope.Helo is { Length: > 0 } helo ? $"postmaster@{helo}" : null;
        var domain = sender is null ? null : DomainOf(sender);
        if (envelope.ClientAddress is not { } client || domain is null || !IsDomainName(domain))
        {
            return ("none", domain);
        }
        var dns = new MessageDns(resolver, budget);
        try
        {
            var validator = new SpfValidator { DnsResolver = dns, HeloDomain = IsDomainName(envelope.Helo) ? DomainName.Parse(envelope.Helo!) : null };
            var result = await validator.CheckHostAsync(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, DomainName.Parse(domain), sender!, false, budget);
            var qualifier = result.Result;
            // ARSoft turns a failed lookup into "none" or its own temperror; the message's DNS knows which it was.
            if (dns.HadTempError && qualifier != SpfQualifier.Pass)
            {
                return ("temperror", domain);
            }
            return (qualifier.ToString().ToLowerInvariant(), domain);
        }
        catch (Exception e) when (e is DnsTempErrorException || (e is OperationCanceledException && budget.IsCancellationRequested))
        {
            return ("temperror", domain);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ("permerror", domain);
        }
    }

    private async Task<string> ArcAsync(MimeMessage message, CancellationToken budget)
    {
        var dns = new MessageDns(resolver, budget);
        try
        {
            var result = await new ArcVerifier(new DnsKeyLocator(dns)).VerifyAsync(message, budget);
            return dns.HadTempError && result.Chain != ArcSignatureValidationResult.Pass ? "temperror" : result.Chain.ToString().ToLowerInvariant();
        }
        catch (Exception e) when (e is DnsTempErrorException || (e is OperationCanceledException && budget.IsCancellationRequested))
        {
            return "temperror";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return "fail";
        }
    }

    private async Task<(string Result, DmarcRecord? Record)> DmarcAsync(string fromDomain, CancellationToken budget)
    {
        var dns = new MessageDns(resolver, budget);
        try
        {
            if (!IsDomainName(fromDomain))
            {
                return ("none", null);
            }
            var record = await LookUpAsync(dns, fromDomain);
            var organizational = OrganizationalDomain.Of(fromDomain);
            if (record is null && organizational != fromDomain.ToLowerInvariant())
            {
                record = await LookUpAsync(dns, organizational);
            }
            return (record is null ? "none" : "pending", record);
        }
        catch (Exception e) when (e is DnsTempErrorException || (e is OperationCanceledException && budget.IsCancellationRequested))
        {
            return ("temperror", null);
        }
    }

    /// <summary>RFC 7489 §6.6.3: exactly one record starting with v=DMARC1 counts; none or several is no policy.</summary>
    private static async Task<DmarcRecord?> LookUpAsync(MessageDns dns, string domain)
    {
        var records = (await dns.TxtAsync($"_dmarc.{domain}")).Select(DmarcRecord.Parse).OfType<DmarcRecord>().ToList();
        return records.Count == 1 ? records[0] : null;
    }

    private static string? Tag(string value, string name) => value
        .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(t => t.Split('=', 2, StringSplitOptions.TrimEntries))
        .FirstOrDefault(t => t.Length == 2 && t[0] == name)?[1].Replace(" ", "").Replace("\r", "").Replace("\n", "").Replace("\t", "");

    private static string? DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        var domain = at >= 0 ? address[(at + 1)..] : address;
        domain = domain.Trim().TrimEnd('.').ToLowerInvariant();
        return domain.Length > 0 ? domain : null;
    }

    private static bool IsDomainName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 253 && name.Contains('.') && !name.StartsWith('[')
        && name.Split('.').All(l => l.Length is > 0 and <= 63 && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));

    [LoggerMessage(EventId = 3402, Level = LogLevel.Debug, Message = "Sender verdict (from authenticated: {Authenticated}): {Summary}")]
    private partial void LogVerdict(bool authenticated, string summary);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Debug, Message = "A DKIM signature could not be checked: {Reason}")]
    private partial void LogBadSignature(string reason);
}
