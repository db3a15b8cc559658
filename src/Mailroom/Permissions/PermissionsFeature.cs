namespace Mailroom.Permissions;

public static class PermissionsFeature
{
    /// <summary>The one answer to "may this person do this here?" (today: connected mailboxes and their grants).</summary>
    public static IServiceCollection AddPermissions(this IServiceCollection services)
    {
        services.AddScoped<AccountPermissions>();
        services.AddScoped<AccountGrantService>();
        services.AddSingleton<BillingPermissions>();
        return services;
    }
}
