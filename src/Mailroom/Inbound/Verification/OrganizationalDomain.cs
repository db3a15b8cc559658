namespace Mailroom.Inbound.Verification;

/// <summary>
/// The organizational domain of RFC 7489 §3.2, without the Public Suffix List: the last two labels,
/// or the last three when the last two look like a country's second level (a two-letter top-level
/// domain under <c>co</c>, <c>com</c>, <c>net</c>, <c>org</c>, <c>ac</c>, <c>gov</c>, <c>edu</c>,
/// <c>ne</c> or <c>or</c>, as <c>co.uk</c> or <c>com.au</c>). It errs towards the shorter domain;
/// for alignment that only ever treats two sibling subdomains of one owner as one organization.
/// </summary>
public static class OrganizationalDomain
{
    private static readonly HashSet<string> SecondLevels = ["co", "com", "net", "org", "ac", "gov", "edu", "ne", "or"];

    public static string Of(string domain)
    {
        var labels = domain.Trim().TrimEnd('.').ToLowerInvariant().Split('.');
        if (labels.Length <= 2)
        {
            return string.Join('.', labels);
        }
        var take = labels[^1].Length == 2 && SecondLevels.Contains(labels[^2]) ? 3 : 2;
        return string.Join('.', labels[^take..]);
    }

    /// <summary>DMARC identifier alignment (RFC 7489 §3.1): strict is the same domain, relaxed the same organizational domain.</summary>
    public static bool Aligned(string? authenticated, string fromDomain, bool strict)
    {
        if (string.IsNullOrEmpty(authenticated))
        {
            return false;
        }
        var a = authenticated.Trim().TrimEnd('.').ToLowerInvariant();
        var f = fromDomain.Trim().TrimEnd('.').ToLowerInvariant();
        return strict ? a == f : Of(a) == Of(f);
    }
}
