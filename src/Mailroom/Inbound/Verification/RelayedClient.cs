using System.Net;
using System.Text.RegularExpressions;
using MimeKit;

namespace Mailroom.Inbound.Verification;

/// <summary>
/// The client a trusted relay received a message from, as the relay wrote it in the topmost
/// <c>Received</c> header (RFC 5321 §4.4: <c>from helo (rdns [address])</c>, the form Postfix, Exim
/// and Sendmail write). Only the topmost header counts: it is the relay's own, added just before it
/// handed the message over; any below it may have been written by the sender.
/// </summary>
public static partial class RelayedClient
{
    public static (IPAddress? Address, string? Helo) Read(MimeMessage message)
    {
        var received = message.Headers.FirstOrDefault(h => h.Id == HeaderId.Received);
        if (received is null)
        {
            return (null, null);
        }
        // The clause we need is at the start; a hostile header can be long, the match must not be.
        var value = received.Value.Length > 1000 ? received.Value[..1000] : received.Value;
        var match = FromClause().Match(value);
        if (!match.Success || !IPAddress.TryParse(match.Groups["ip"].Value, out var address))
        {
            return (null, null);
        }
        return (address, match.Groups["helo"].Value);
    }

    [GeneratedRegex(@"^\s*from\s+(?<helo>[^\s()]+)\s+\([^()\[\]]*\[(?:IPv6:)?(?<ip>[0-9A-Fa-f:.]+)\]", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex FromClause();
}
