namespace Mailroom.Outbound;

public static class OutboundFeature
{
    /// <summary>Email out of tasks: the thread resolver (and, as they land, the outbox, its worker and senders).</summary>
    public static IServiceCollection AddOutbound(this IServiceCollection services)
    {
        services.AddSingleton<ThreadResolver>();
        return services;
    }
}
