using System.Net;

namespace Mailroom.Smtp.Limits;

/// <summary>The networks of <see cref="SmtpServerOptions.LimitExemptNetworks"/>.</summary>
internal static class ClientNetworks
{
    public static bool TryParse(string? text, out IPNetwork[] networks, out string? bad)
    {
        var list = new List<IPNetwork>();
        bad = null;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // A bare address is a network of one.
            if (IPNetwork.TryParse(part, out var network))
            {
                list.Add(network);
            }
            else if (IPAddress.TryParse(part, out var address))
            {
                list.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                bad = part;
                networks = [];
                return false;
            }
        }
        networks = list.ToArray();
        return true;
    }

    /// <summary>The address a client is counted under: IPv4 clients of a dual-stack socket arrive as ::ffff:a.b.c.d.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
