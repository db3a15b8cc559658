using System.Text;
using MimeKit;
using MimeKit.Cryptography;

namespace Mailroom.Inbound.Verification;

/// <summary>
/// Reads the verdict a trusted relay wrote: the topmost <c>Authentication-Results</c> header with the
/// relay's authserv-id (RFC 8601 §5: the one added last, above any the sender could have forged).
/// </summary>
public static class TrustedResults
{
    public static SenderVerdict Read(MimeMessage message, string authServId, string? fromDomain)
    {
        AuthenticationResults? results = null;
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.AuthenticationResults))
        {
            if (AuthenticationResults.TryParse(header.RawValue, out var parsed)
                && string.Equals(parsed.AuthenticationServiceIdentifier, authServId, StringComparison.OrdinalIgnoreCase))
            {
                results = parsed;
                break;
            }
        }
        if (results is null)
        {
            return new SenderVerdict("none", [], "none", null, "none", null, null, fromDomain, false, SenderVerdict.TrustedRelay,
                $"trusted relay {authServId} stamped no Authentication-Results");
        }
        string Result(string method) => results.Results.FirstOrDefault(r => r.Method.Equals(method, StringComparison.OrdinalIgnoreCase))?.Result?.ToLowerInvariant() ?? "none";
        string? Property(string method, string type, string name) => results.Results
            .Where(r => r.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && r.Result.Equals("pass", StringComparison.OrdinalIgnoreCase))
            .SelectMany(r => r.Properties)
            .FirstOrDefault(p => p.PropertyType.Equals(type, StringComparison.OrdinalIgnoreCase) && p.Property.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

        var dkimDomains = results.Results
            .Where(r => r.Method.Equals("dkim", StringComparison.OrdinalIgnoreCase) && r.Result.Equals("pass", StringComparison.OrdinalIgnoreCase))
            .SelectMany(r => r.Properties.Where(p => p.PropertyType.Equals("header", StringComparison.OrdinalIgnoreCase) && (p.Property is "d" or "i")))
            .Select(p => p.Value.Contains('@') ? p.Value[(p.Value.IndexOf('@') + 1)..] : p.Value)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var spfDomain = Property("spf", "smtp", "mailfrom") is { } mailFrom ? (mailFrom.Contains('@') ? mailFrom[(mailFrom.IndexOf('@') + 1)..] : mailFrom) : null;
        var dmarc = Result("dmarc");
        var authenticated = fromDomain is not null && (dmarc == "pass"
            || dkimDomains.Any(d => OrganizationalDomain.Aligned(d, fromDomain, strict: false))
            || OrganizationalDomain.Aligned(spfDomain, fromDomain, strict: false));
        var summary = new StringBuilder($"trusted relay {authServId}: ");
        summary.Append(string.Join("; ", results.Results.Select(r => r.ToString().Trim())));
        return new SenderVerdict(Result("dkim"), dkimDomains, Result("spf"), spfDomain, dmarc, null, Result("arc") is "none" ? null : Result("arc"),
            fromDomain, authenticated, SenderVerdict.TrustedRelay, summary.ToString());
    }
}
