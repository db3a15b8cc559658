using System.Net;

namespace Mailroom.Inbound.Verification;

/// <summary>DNS servers from configuration, or the system's (resolv.conf) when none are named.</summary>
public static class DnsEndpoints
{
    public static bool TryParse(string text, out IPEndPoint endpoint)
    {
        text = text.Trim();
        if (IPAddress.TryParse(text, out var address))
        {
            endpoint = new IPEndPoint(address, 53);
            return true;
        }
        return IPEndPoint.TryParse(text, out endpoint!);
    }

    public static IReadOnlyList<IPEndPoint> From(VerificationOptions options)
    {
        if (options.DnsServers.Count > 0)
        {
            return options.DnsServers.Select(s => TryParse(s, out var e) ? e : null).OfType<IPEndPoint>().ToList();
        }
        return ARSoft.Tools.Net.Dns.DnsClient.GetLocalConfiguredDnsServers().Select(a => new IPEndPoint(a, 53)).ToList();
    }
}
