namespace Mailroom.Outbound;

public static class OutboundFeature
{
    /// <summary>Email out of tasks: the thread resolver, the outbox, its worker, senders and Sent copies.</summary>
    public static IServiceCollection AddOutbound(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ThreadResolver>();
        services.AddSingleton<ThreadHeaders>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxActivity>();
        services.AddSingleton<OutboundMessageBuilder>();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<MailSenders>();
        services.AddSingleton<SentCopies>();
        services.AddHostedService(sp => sp.GetRequiredService<SentCopies>());
        services.AddScoped<OutboxSizeLimits>();
        services.AddScoped<EmailUses>();
        services.AddScoped<OutboxService>();
        services.AddScoped<OutboxDelivery>();
        services.AddHostedService<OutboxWorker>();
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.SectionName);
        services.AddHttpClient(GraphMailSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(100));
        services.AddSingleton<GraphMailSender>();
        return services;
    }
}
