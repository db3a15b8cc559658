using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// A loopback TCP port nothing listens on, for a server a test starts. Taken below Linux's
/// ephemeral range (32768–60999): a port the kernel hands out (port 0) is free only until the
/// next outgoing connection — to PostgreSQL, Dovecot, the server itself — is given it, which
/// happened between choosing a server's port and the server binding it. Never the same port twice
/// in one test process.
/// </summary>
internal static class FreePort
{
    private const int First = 20000, Last = 32767;
    private static readonly ConcurrentDictionary<int, byte> Given = new();

    public static int Next()
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            if (!Given.TryAdd(port, 0))
            {
                continue;
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by something else on this machine: another one.
            }
        }
        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }
}
