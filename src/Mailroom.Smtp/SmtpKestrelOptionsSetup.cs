using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Mailroom.Smtp;

/// <summary>
/// Adds the mail endpoint to Kestrel. Kestrel runs non-HTTP protocols through connection
/// handlers, so the SMTP listener shares the application's server, lifetime and logging.
/// </summary>
internal sealed class SmtpKestrelOptionsSetup(
    IOptions<SmtpServerOptions> smtpOptions,
    SmtpListenerInfo listenerInfo,
    IServiceProvider services) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        var smtp = smtpOptions.Value;
        if (!smtp.Enabled)
        {
            return;
        }

        // UseConnectionHandler resolves the handler from ApplicationServices; Kestrel's own setup
        // fills it in, but only if it ran before this one, which depends on registration order.
        options.ApplicationServices ??= services;
        var address = IPAddress.Parse(smtp.Address);
        IPEndPoint endpoint = smtp.UseEventLoopTransport ? new Transport.EventLoopIPEndPoint(address, smtp.Port) : new IPEndPoint(address, smtp.Port);
        options.Listen(endpoint, listen =>
        {
            listen.UseConnectionHandler<SmtpConnectionHandler>();
            listenerInfo.Attach(listen);
        });
    }
}
