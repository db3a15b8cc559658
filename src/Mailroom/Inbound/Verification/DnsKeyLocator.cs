using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Mailroom.Inbound.Verification;

/// <summary>DKIM public keys from <c>selector._domainkey.domain</c> TXT (RFC 6376 §3.6.2), through the message's DNS.</summary>
public sealed class DnsKeyLocator(MessageDns dns) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var records = await dns.TxtAsync($"{selector}._domainkey.{domain}");
        // A missing key is a permanent failure of this signature (RFC 6376 §6.1.2), thrown as MimeKit expects.
        var record = records.FirstOrDefault(r => r.Contains("p=", StringComparison.Ordinal))
            ?? throw new FormatException($"no DKIM key at {selector}._domainkey.{domain}");
        return GetPublicKey(record);
    }
}
