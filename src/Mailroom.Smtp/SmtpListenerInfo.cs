using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mailroom.Smtp;

/// <summary>
/// Where the SMTP/LMTP listener is bound. Kestrel reports every endpoint under an
/// <c>http://</c> address in <c>IServerAddressesFeature</c>, so the mail endpoint cannot be told
/// apart there; this singleton holds the listen options Kestrel updates once it has bound,
/// which is how a test or a status page learns the port chosen for <c>Port = 0</c>.
/// </summary>
public sealed class SmtpListenerInfo
{
    private ListenOptions? _listenOptions;

    /// <summary>
    /// The bound endpoint after the host has started (with the real port when 0 was configured);
    /// the configured endpoint before that; <c>null</c> when the listener is disabled.
    /// </summary>
    public IPEndPoint? LocalEndPoint => _listenOptions?.IPEndPoint;

    internal void Attach(ListenOptions listenOptions) => _listenOptions = listenOptions;
}
