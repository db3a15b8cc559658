using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Smtp;

public static class SmtpServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SmtpServerOptions"/> from <c>Mailroom:Smtp</c> and adds the Kestrel
    /// endpoint that runs the SMTP/LMTP connection handler. The application registers its
    /// <see cref="ISmtpMessageSink"/>.
    /// </summary>
    public static IServiceCollection AddMailroomSmtp(this IServiceCollection services)
    {
        // Filled in by the protocol work: options, IConfigureOptions<KestrelServerOptions>, handler.
        services.AddOptions<SmtpServerOptions>().BindConfiguration(SmtpServerOptions.SectionName);
        return services;
    }
}
