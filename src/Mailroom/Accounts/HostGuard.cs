using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Mailroom.Accounts;

/// <summary>
/// The server-side request forgery guard: resolves a mailbox host once and answers the addresses
/// to connect to, refusing non-public ones unless <see cref="AccountOptions.AllowPrivateHosts"/>.
/// The caller connects to exactly these addresses, so a second DNS answer (rebinding) cannot
/// slip an internal address in after the check.
/// </summary>
public sealed class HostGuard(IOptions<AccountOptions> options)
{
    /// <summary>The addresses of <paramref name="host"/>; throws <see cref="HostNotAllowedException"/> when any of them is not public.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        // One internal address among public ones is refused too: the connection could land on it.
        if (!options.Value.AllowPrivateHosts && addresses.FirstOrDefault(a => !IsPublic(a)) is { } internalAddress)
        {
            throw new HostNotAllowedException(host, internalAddress);
        }
        return addresses;
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC); // fc00::/7, unique local
        }
        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => false,
            100 => (v4[1] & 0xC0) != 64,           // 100.64.0.0/10, carrier-grade NAT
            169 => v4[1] != 254,                   // link-local (cloud metadata at 169.254.169.254)
            172 => (v4[1] & 0xF0) != 16,           // 172.16.0.0/12
            192 => !(v4[1] == 168 || (v4[1] == 0 && v4[2] is 0 or 2)), // 192.168/16, 192.0.0/24, TEST-NET-1
            198 => (v4[1] & 0xFE) != 18,           // 198.18.0.0/15, benchmarking
            >= 224 => false,                       // multicast and reserved
            _ => true,
        };
    }
}

/// <summary>A mailbox host that resolves to an address the server must not be made to reach.</summary>
public sealed class HostNotAllowedException(string host, IPAddress address)
    : Exception($"'{host}' resolves to {address}, which is not a public address.")
{
    public string Host { get; } = host;
}
