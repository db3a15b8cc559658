using Mailroom.Accounts.Watching;

namespace Mailroom.Accounts;

public static class AccountsFeature
{
    /// <summary>Connected mailboxes: presets, the connection test, encrypted credentials and OAuth tokens, health, who may use them.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OAuthOptions>().BindConfiguration(OAuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(OAuthClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<AccountSecrets>();
        services.AddSingleton<OAuthTokenStore>();
        services.AddSingleton<OAuthState>();
        services.AddSingleton<OAuthClient>();
        services.AddSingleton<AccountHealthNotifier>();
        services.AddScoped<OAuthLinks>();
        services.AddSingleton<HostGuard>();
        services.AddSingleton<MailClientFactory>();
        services.AddSingleton<MailConnector>();
        services.AddSingleton<AccountCredentials>();
        services.AddSingleton<ConnectionTester>();
        services.AddScoped<AccountAllowance>();
        services.AddScoped<AccountService>();
        services.AddAccountWatching();
        return services;
    }
}
