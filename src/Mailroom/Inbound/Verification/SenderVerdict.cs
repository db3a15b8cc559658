namespace Mailroom.Inbound.Verification;

/// <summary>
/// What the verifier found about one message's sender. <see cref="FromAuthenticated"/> is the one
/// thing the rest of Mailroom acts on: the From header's domain passed DMARC's test (an aligned
/// DKIM signature or an aligned SPF pass, RFC 7489 §4.2), whether or not the domain publishes a
/// DMARC record; or the operator vouched for the connection (internal network, trusted relay).
/// </summary>
/// <param name="Dkim">none, pass, fail or temperror (the best of all signatures).</param>
/// <param name="DkimDomains">The d= of every signature that passed.</param>
/// <param name="Spf">none, neutral, pass, fail, softfail, temperror or permerror (RFC 7208 §2.6).</param>
/// <param name="SpfDomain">The domain SPF checked: the MAIL FROM's, or HELO's for a null sender.</param>
/// <param name="Dmarc">none (no record), pass, fail or temperror.</param>
/// <param name="DmarcPolicy">The record's p= (none, quarantine, reject), when there is one.</param>
/// <param name="Arc">The ARC chain (none, pass, fail) when ARC headers are present, recorded only.</param>
/// <param name="FromDomain">The From header's domain, or null when there is not exactly one From address.</param>
/// <param name="Basis">What decided: checks, internal-network, trusted-relay or disabled.</param>
/// <param name="Summary">One line in the style of Authentication-Results (RFC 8601), for the inbound log.</param>
public sealed record SenderVerdict(
    string Dkim, IReadOnlyList<string> DkimDomains, string Spf, string? SpfDomain, string Dmarc, string? DmarcPolicy,
    string? Arc, string? FromDomain, bool FromAuthenticated, string Basis, string Summary)
{
    public const string Checks = "checks";
    public const string InternalNetwork = "internal-network";
    public const string TrustedRelay = "trusted-relay";
    public const string Disabled = "disabled";

    /// <summary>Whether a DNS answer was missing, so the verdict may change on a later look.</summary>
    public bool TempError => Dkim == "temperror" || Spf == "temperror" || Dmarc == "temperror";
}
