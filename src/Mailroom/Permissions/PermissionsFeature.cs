namespace Mailroom.Permissions;

public static class PermissionsFeature
{
    /// <summary>The one answer to "may this person do this here?" (connected mailboxes, their grants, and the roles' email permissions).</summary>
    public static IServiceCollection AddPermissions(this IServiceCollection services)
    {
        services.AddScoped<AccountPermissions>();
        services.AddScoped<AccountGrantService>();
        services.AddScoped<EmailRolePermissionsService>();
        services.AddSingleton<BillingPermissions>();
        return services;
    }
}
