using Mailroom.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mailroom.Tests.Storage;

/// <summary>The embedded database file as start-up creates it: page size, WAL, and existing files left as they are.</summary>
public sealed class SqliteFileTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("mailroom-sqlitefile-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private async Task StartAsync(string? pageSize = null)
    {
        var settings = new Dictionary<string, string?> { ["Mailroom:DataDirectory"] = _dataDirectory };
        if (pageSize is not null)
        {
            settings["Mailroom:Database:SqlitePageSize"] = pageSize;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddStorage(configuration);
        await using var provider = services.BuildServiceProvider();
        await provider.MigrateDatabaseAsync();
    }

    private (long PageSize, string JournalMode, long Tables) Inspect()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, "mailroom.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar());
        }
        using var journal = connection.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode";
        return (Scalar("PRAGMA page_size"), (string)journal.ExecuteScalar()!, Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'InboundMessages'"));
    }

    [Fact]
    public async Task ANewDatabase_HasEightKilobytePages_AndAWriteAheadLog()
    {
        await StartAsync();
        Assert.Equal((8192L, "wal", 1L), Inspect());
    }

    [Fact]
    public async Task TheConfiguredPageSize_IsUsedForANewDatabase()
    {
        await StartAsync(pageSize: "16384");
        Assert.Equal(16384L, Inspect().PageSize);
    }

    [Fact]
    public async Task AnExistingDatabase_KeepsItsPageSize()
    {
        await StartAsync(pageSize: "4096");
        await StartAsync();
        Assert.Equal((4096L, "wal", 1L), Inspect());
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("131072")]
    public async Task AnImpossiblePageSize_StopsStartUp_NamingTheSetting(string pageSize)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(pageSize));
        Assert.Contains("Mailroom:Database:SqlitePageSize", error.Message);
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "mailroom.db")));
    }
}
