using Mailroom.Accounts.Watching;

namespace Mailroom.Accounts;

public static class AccountsFeature
{
    /// <summary>Connected mailboxes: presets, the connection test, encrypted credentials, who may use them.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccountSecrets>();
        services.AddSingleton<AccountPermissions>();
        services.AddSingleton<HostGuard>();
        services.AddSingleton<MailClientFactory>();
        services.AddSingleton<MailConnector>();
        services.AddSingleton<AccountCredentials>();
        services.AddSingleton<ConnectionTester>();
        services.AddScoped<AccountService>();
        services.AddAccountWatching();
        return services;
    }
}
