using Mailroom.Smtp;

namespace Mailroom.Inbound;

public static class InboundFeature
{
    /// <summary>The mail listener, durable intake and the processor that makes posts.</summary>
    public static IServiceCollection AddInbound(this IServiceCollection services)
    {
        services.AddOptions<InboundOptions>().BindConfiguration(InboundOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddMailroomSmtp();
        services.AddSingleton<ISmtpMessageSink, IntakeSink>();
        services.AddSingleton<ProcessorSignal>();
        services.AddSingleton<IntakeActivity>();
        services.AddSingleton<StepAside>();
        services.AddSingleton<IntakeWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IntakeWriter>());
        services.AddHostedService<InboundProcessor>();
        services.AddScoped<MessageHandler>();
        services.AddScoped<InboundLog>();
        return services;
    }
}
