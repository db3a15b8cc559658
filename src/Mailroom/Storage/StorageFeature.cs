using System.Data.Common;
using Mailroom.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Mailroom.Storage;

public static class StorageFeature
{
    /// <summary>The database (SQLite in the data directory, or PostgreSQL) and the blob store.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailroomOptions>().BindConfiguration(MailroomOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BlobStore>();

        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString("Mailroom");
        if (database.IsPostgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new OptionsValidationException("ConnectionStrings:Mailroom", typeof(DatabaseOptions),
                    ["Mailroom:Database:Provider is 'postgres' but ConnectionStrings:Mailroom is empty. Set it, e.g. ConnectionStrings__Mailroom='Host=db;Database=mailroom;Username=mailroom;Password=…'."]);
            }
            services.AddDbContext<MailroomDb, PostgresMailroomDb>(o => o.UseNpgsql(connectionString));
        }
        else
        {
            services.AddDbContext<MailroomDb, SqliteMailroomDb>((sp, o) =>
            {
                var dataDirectory = sp.GetRequiredService<IOptions<MailroomOptions>>().Value.FullDataDirectory;
                Directory.CreateDirectory(dataDirectory);
                var cs = string.IsNullOrWhiteSpace(connectionString)
                    ? $"Data Source={Path.Combine(dataDirectory, "mailroom.db")};Pooling=True;Default Timeout=60"
                    : connectionString;
                o.UseSqlite(cs).AddInterceptors(SqlitePragmas.Instance);
            });
        }
        return services;
    }

    /// <summary>Applies the provider's migrations; every server does it at start-up.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        await db.Database.MigrateAsync();
        if (db is SqliteMailroomDb)
        {
            // WAL lets the feed be read while mail is written; set once, it sticks to the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    /// <summary>Every SQLite connection commits durably (synchronous=FULL) and waits on locks rather than failing.</summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000; PRAGMA foreign_keys=ON;";
            command.ExecuteNonQuery();
        }
    }
}
