namespace Mailroom.Accounts.Watching;

public static class WatchingFeature
{
    /// <summary>The IMAP watchers: replies to emails sent from tasks come back into the intake store, one watcher per account across all servers.</summary>
    public static IServiceCollection AddAccountWatching(this IServiceCollection services)
    {
        services.AddOptions<WatchOptions>().BindConfiguration(WatchOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WatchLeases>();
        services.AddSingleton<ReplyImporter>();
        services.AddSingleton<MailboxWatcher>();
        services.AddHostedService<AccountWatcherHost>();
        return services;
    }
}
