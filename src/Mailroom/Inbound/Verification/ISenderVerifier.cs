using MimeKit;

namespace Mailroom.Inbound.Verification;

/// <summary>Decides whether a message's From header is proven (DKIM, SPF, DMARC, or the operator's trust).</summary>
public interface ISenderVerifier
{
    /// <summary>Never throws for DNS trouble and returns within the configured budget; a missing answer is a temperror.</summary>
    Task<SenderVerdict> VerifyAsync(MimeMessage message, SenderEnvelope envelope, CancellationToken cancellationToken);
}
