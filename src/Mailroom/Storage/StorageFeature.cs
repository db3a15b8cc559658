using Mailroom.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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
        services.AddSingleton<DirectDb>();

        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString("Mailroom");
        services.AddSingleton(new WriteGate(enabled: !database.IsPostgres));
        if (database.IsPostgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new OptionsValidationException("ConnectionStrings:Mailroom", typeof(DatabaseOptions),
                    ["Mailroom:Database:Provider is 'postgres' but ConnectionStrings:Mailroom is empty. Set it, e.g. ConnectionStrings__Mailroom='Host=db;Database=mailroom;Username=mailroom;Password=…'."]);
            }
            services.AddDbContextPool<MailroomDb, PostgresMailroomDb>(o => o.UseNpgsql(connectionString));
        }
        else
        {
            services.AddDbContextPool<MailroomDb, SqliteMailroomDb>((sp, o) =>
            {
                var dataDirectory = sp.GetRequiredService<IOptions<MailroomOptions>>().Value.FullDataDirectory;
                Directory.CreateDirectory(dataDirectory);
                o.UseSqlite(string.IsNullOrWhiteSpace(connectionString) ? SqliteConnectionString(dataDirectory) : connectionString);
            });
        }
        return services;
    }

    /// <summary>
    /// The embedded database. Durability relies on SQLite's default <c>synchronous=FULL</c> (the
    /// bundled e_sqlite3 build's default, checked at start-up); lock waits
    /// are retried for up to a minute.
    /// </summary>
    public static string SqliteConnectionString(string dataDirectory) =>
        $"Data Source={Path.Combine(dataDirectory, "mailroom.db")};Pooling=True;Default Timeout=60;Foreign Keys=True";

    /// <summary>
    /// A database file that does not exist yet is created with the configured page size, which can
    /// only be chosen before the first table (and before the switch to WAL); an existing one is left alone.
    /// </summary>
    private static void CreateSqliteFile(string? connectionString, int pageSize)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            || (File.Exists(builder.DataSource) && new FileInfo(builder.DataSource).Length > 0))
        {
            return;
        }
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA page_size={pageSize}; PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    /// <summary>Applies the provider's migrations; every server does it at start-up.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        if (db is SqliteMailroomDb)
        {
            CreateSqliteFile(db.Database.GetConnectionString(), scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value.SqlitePageSize);
        }
        await db.Database.MigrateAsync();
        if (db is SqliteMailroomDb)
        {
            // WAL lets the feed be read while mail is written; set once, it sticks to the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            var synchronous = await db.Database.SqlQueryRaw<long>("SELECT synchronous AS Value FROM pragma_synchronous").SingleAsync();
            if (synchronous < 2)
            {
                throw new InvalidOperationException($"SQLite runs with synchronous={synchronous}; Mailroom needs FULL (2) so that an accepted email survives a power cut.");
            }
        }
    }
}
