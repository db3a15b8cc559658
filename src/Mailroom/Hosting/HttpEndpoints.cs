using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Mailroom.Hosting;

/// <summary>
/// Binds the web UI/API addresses from <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>).
/// Kestrel ignores those as soon as code adds an endpoint — the mail listener does — so they
/// are bound here explicitly, the same way the framework would.
/// </summary>
public sealed class HttpEndpoints(string? configuredUrls) : IConfigureOptions<KestrelServerOptions>
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public void Configure(KestrelServerOptions options)
    {
        var urls = string.IsNullOrWhiteSpace(configuredUrls) ? DefaultUrls : configuredUrls;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parsed = BindingAddress.Parse(url);
            if (!string.Equals(parsed.Scheme, "http", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Only http:// addresses are supported in 'urls' ('{url}'); put a reverse proxy in front for HTTPS.");
            }
            var port = parsed.Port;
            if (parsed.Host is "*" or "+" or "0.0.0.0" or "[::]")
            {
                options.ListenAnyIP(port);
            }
            else if (string.Equals(parsed.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                options.ListenLocalhost(port);
            }
            else if (IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var address))
            {
                options.Listen(address, port);
            }
            else
            {
                throw new InvalidOperationException($"Cannot bind '{url}': use an IP address, localhost or *.");
            }
        }
    }
}
