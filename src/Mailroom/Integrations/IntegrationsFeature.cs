namespace Mailroom.Integrations;

public static class IntegrationsFeature
{
    public static IServiceCollection AddIntegrations(this IServiceCollection services)
    {
        services.AddOptions<IntegrationOptions>().BindConfiguration(IntegrationOptions.SectionName).ValidateOnStart();
        services.AddScoped<IntegrationService>();
        services.AddScoped<RecipientResolver>();
        services.AddSingleton<IntegrationLookup>();
        services.AddScoped<AddressMinter>();
        return services;
    }
}
