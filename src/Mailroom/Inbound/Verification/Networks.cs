using System.Net;

namespace Mailroom.Inbound.Verification;

/// <summary>Addresses and CIDR networks from configuration; a single address is its own /32 or /128.</summary>
public static class Networks
{
    public static bool TryParse(string text, out IPNetwork network)
    {
        text = text.Trim();
        if (IPNetwork.TryParse(text, out network))
        {
            return true;
        }
        if (IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return false;
    }

    public static IReadOnlyList<IPNetwork> Parse(IEnumerable<string> texts) =>
        texts.Select(t => TryParse(t, out var n) ? n : (IPNetwork?)null).OfType<IPNetwork>().ToList();

    /// <summary>Whether the address is in any of them; an IPv4-mapped IPv6 address counts as its IPv4 address.</summary>
    public static bool Contains(IEnumerable<IPNetwork> networks, IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(n => n.Contains(plain));
    }
}
