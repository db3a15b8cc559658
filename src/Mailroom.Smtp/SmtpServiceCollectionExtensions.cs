using Mailroom.Smtp.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Smtp;

public static class SmtpServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SmtpServerOptions"/> from <c>Mailroom:Smtp</c> (validated at start-up) and
    /// adds the Kestrel endpoint that runs the SMTP/LMTP connection handler. The application
    /// registers its <see cref="ISmtpMessageSink"/>; it is resolved from a new DI scope for each
    /// call, so it may depend on scoped services such as a DbContext.
    /// </summary>
    /// <remarks>
    /// Kestrel ignores <c>ASPNETCORE_URLS</c>/<c>UseUrls</c> as soon as any endpoint is added in
    /// code, so the application must declare its HTTP endpoints with <c>Listen</c> as well.
    /// <see cref="SmtpListenerInfo"/> tells the bound port.
    /// </remarks>
    public static IServiceCollection AddMailroomSmtp(this IServiceCollection services)
    {
        services.AddOptions<SmtpServerOptions>()
            .BindConfiguration(SmtpServerOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmtpServerOptions>, SmtpServerOptionsValidator>());
        services.TryAddSingleton<SmtpListenerInfo>();
        services.TryAddSingleton<Limits.ClientLimiter>();
        services.TryAddSingleton<Limits.BodyBudget>();
        services.TryAddSingleton<SmtpConnectionHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, SmtpKestrelOptionsSetup>());
        // Kestrel asks the transports registered last first; this one claims only EventLoopIPEndPoint.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnectionListenerFactory, EventLoopTransportFactory>());
        return services;
    }
}
