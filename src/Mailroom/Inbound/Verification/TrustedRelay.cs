namespace Mailroom.Inbound.Verification;

/// <summary>A relay in front of Mailroom (Postfix with OpenDKIM/OpenDMARC, a cloud gateway) that already verified the sender.</summary>
public sealed class TrustedRelay
{
    /// <summary>Addresses or CIDR networks the relay connects from.</summary>
    public List<string> Networks { get; set; } = [];

    /// <summary>
    /// The authserv-id it writes first in its <c>Authentication-Results</c> header (RFC 8601 §2.5), e.g.
    /// <c>mx.example.com</c>; empty for a relay that does not verify (Mailroom then checks the client
    /// named in the relay's <c>Received</c> header).
    /// </summary>
    public string AuthServId { get; set; } = "";
}
