using System.ComponentModel.DataAnnotations;

namespace Mailroom.Inbound.Verification;

/// <summary>Options of sender verification (DKIM, SPF, DMARC), bound from <c>Mailroom:Verification</c>.</summary>
public sealed class VerificationOptions : IValidatableObject
{
    public const string SectionName = "Mailroom:Verification";

    /// <summary>Off, every From counts as authenticated (the behaviour before verification existed).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>DNS servers as <c>ip</c> or <c>ip:port</c>; empty means the system's (resolv.conf).</summary>
    public List<string> DnsServers { get; set; } = [];

    /// <summary>Longest wait for one DNS answer.</summary>
    public TimeSpan DnsQueryTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest all DNS work of one message may take; past it, what is left is a temperror.</summary>
    public TimeSpan MessageBudget { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>DNS answers kept (each for its TTL, at most an hour).</summary>
    public int DnsCacheSize { get; set; } = 10_000;

    /// <summary>
    /// Relays in front of Mailroom, each with the networks it connects from. With an authserv-id, its
    /// <c>Authentication-Results</c> header (RFC 8601) is believed instead of our own checks; without
    /// one, our checks run on the client it names in its topmost <c>Received</c> header.
    /// </summary>
    public List<TrustedRelay> TrustedRelays { get; set; } = [];

    /// <summary>Networks (CIDR) whose mail counts as authenticated for its From: internal relays and apps.</summary>
    public List<string> InternalNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var server in DnsServers)
        {
            if (!DnsEndpoints.TryParse(server, out _))
            {
                yield return new ValidationResult($"'{server}' is not a DNS server (ip or ip:port).", [nameof(DnsServers)]);
            }
        }
        foreach (var network in InternalNetworks.Concat(TrustedRelays.SelectMany(r => r.Networks)))
        {
            if (!Networks.TryParse(network, out _))
            {
                yield return new ValidationResult($"'{network}' is not an IP address or CIDR network.", [nameof(InternalNetworks)]);
            }
        }
        if (TrustedRelays.Any(r => r.Networks.Count == 0))
        {
            yield return new ValidationResult("Each trusted relay needs its Networks.", [nameof(TrustedRelays)]);
        }
        if (DnsQueryTimeout <= TimeSpan.Zero || MessageBudget <= TimeSpan.Zero || DnsCacheSize < 0)
        {
            yield return new ValidationResult("DnsQueryTimeout and MessageBudget must be positive, DnsCacheSize not negative.", [nameof(MessageBudget)]);
        }
    }
}
