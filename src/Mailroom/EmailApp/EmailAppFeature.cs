namespace Mailroom.EmailApp;

public static class EmailAppFeature
{
    public static IServiceCollection AddEmailApp(this IServiceCollection services)
    {
        services.AddScoped<EmailAppService>();
        return services;
    }
}
