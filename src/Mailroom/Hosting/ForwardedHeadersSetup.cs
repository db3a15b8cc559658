using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Mailroom.Hosting;

/// <summary>
/// Behind an HTTPS proxy the request reaches Mailroom as plain http; with the proxy's
/// <c>X-Forwarded-Proto</c> believed, the request is HTTPS again and the sign-in cookie is
/// marked <c>Secure</c>. Only the configured proxies are believed (the framework's default of
/// trusting loopback is dropped, so nothing is trusted until an operator says so).
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddMailroomForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, FromSettings>();
        return services;
    }

    private sealed class FromSettings(IOptions<ForwardedHeadersSettings> settings) : IConfigureOptions<ForwardedHeadersOptions>
    {
        public void Configure(ForwardedHeadersOptions options)
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in settings.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        }
    }
}
