using Mailroom.Integrations;
using Mailroom.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Tests.Storage;

/// <summary>The hot path's own connections (RCPT check, group commit) on a real SQLite file.</summary>
public sealed class DirectDbTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("mailroom-directdb-").FullName;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Mailroom:DataDirectory"] = _dataDirectory })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddStorage(configuration);
        _services = services.BuildServiceProvider();
        await _services.MigrateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task ABurstOfCallsOpensWhatItNeeds_ButKeepsOnlyAFewConnectionsOpenAfterwards()
    {
        var direct = _services.GetRequiredService<DirectDb>();
        var sql = $"SELECT count(*) FROM {direct.Table<EmailIntegration>()}";
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inside = 0;

        // Thirty calls at once, each holding its connection until all thirty are in.
        var calls = Enumerable.Range(0, 30).Select(_ => Task.Run(() => direct.RunAsync(async lane =>
        {
            var count = Convert.ToInt64(await lane.Command(sql).ExecuteScalarAsync());
            Interlocked.Increment(ref inside);
            await release.Task;
            return count;
        }))).ToArray();
        while (Volatile.Read(ref inside) < 30)
        {
            await Task.Delay(10);
        }
        release.SetResult();

        Assert.All(await Task.WhenAll(calls), count => Assert.Equal(0, count));
        Assert.Equal(DirectDb.MaxIdleLanes, direct.IdleLanes);
    }

    [Fact]
    public async Task AFailedCall_DoesNotPutItsConnectionBack()
    {
        var direct = _services.GetRequiredService<DirectDb>();
        await direct.RunAsync(lane => Task.FromResult(1));
        Assert.Equal(1, direct.IdleLanes);

        await Assert.ThrowsAnyAsync<Exception>(() => direct.RunAsync<int>(lane => throw new InvalidOperationException("broken")));
        Assert.Equal(0, direct.IdleLanes);
    }
}
