using Mailroom.Hosting;
using Mailroom.Inbound.Verification;
using Mailroom.Smtp;
using Microsoft.Extensions.Options;

namespace Mailroom.Inbound;

public static class InboundFeature
{
    /// <summary>The mail listener, durable intake and the processor that makes posts.</summary>
    public static IServiceCollection AddInbound(this IServiceCollection services)
    {
        services.AddOptions<InboundOptions>().BindConfiguration(InboundOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddMailroomSmtp();
        // Large bodies are spooled beside the blobs: the same file system, so a spooled message is renamed into the store, not copied.
        services.AddOptions<SmtpServerOptions>().PostConfigure<IOptions<MailroomOptions>>((smtp, mailroom) =>
            smtp.SpoolDirectory ??= Path.Combine(mailroom.Value.FullBlobDirectory, ".spool"));
        services.AddSingleton<ISmtpMessageSink, IntakeSink>();
        services.AddSingleton<ProcessorSignal>();
        services.AddSingleton<IntakeActivity>();
        services.AddSingleton<StepAside>();
        services.AddSingleton<IntakeWriter>();
        services.AddSingleton<RefusalRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<RefusalRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<IntakeWriter>());
        services.AddHostedService<InboundProcessor>();
        services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CachingDnsResolver>();
        services.AddSingleton<ISenderVerifier, SenderVerifier>();
        services.AddScoped<MessageHandler>();
        services.AddScoped<InboundLog>();
        services.AddScoped<InboundLinks>();
        return services;
    }
}
