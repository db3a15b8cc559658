namespace Mailroom.Accounts;

/// <summary>Why a step failed. Only <see cref="AuthenticationRefused"/> is the member's credentials; the rest is the network or the server.</summary>
public enum ConnectionFailure
{
    /// <summary>The server answered and refused the username or password.</summary>
    AuthenticationRefused = 0,
    /// <summary>No connection: the host is unknown, the port closed or unreachable.</summary>
    Unreachable = 1,
    /// <summary>The server did not answer within <see cref="AccountOptions.ConnectionTimeout"/>.</summary>
    TimedOut = 2,
    /// <summary>TLS could not be set up: handshake refused, certificate not trusted, STARTTLS not offered.</summary>
    TlsFailed = 3,
    /// <summary>Something answered, but not as a mail server would (wrong port or security setting).</summary>
    ProtocolError = 4,
    /// <summary>The host resolves to an address Mailroom may not connect to (<see cref="HostGuard"/>).</summary>
    HostNotAllowed = 5,
}
