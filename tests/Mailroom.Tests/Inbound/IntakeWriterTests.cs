using Mailroom.Inbound;
using Mailroom.Storage;
using Mailroom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mailroom.Tests.Inbound;

/// <summary>The group commit against a real database, in process, with a row the database refuses.</summary>
public sealed class IntakeWriterTests
{
    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task ABatchWithOneRowTheDatabaseRefuses_CommitsEveryOtherRow_AndFailsOnlyThatOne(Database database)
    {
        var data = Directory.CreateTempSubdirectory("mailroom-intake-").FullName;
        var settings = new Dictionary<string, string?> { ["Mailroom:DataDirectory"] = data };
        if (database == Database.Postgres)
        {
            settings["Mailroom:Database:Provider"] = "postgres";
            settings["ConnectionStrings:Mailroom"] = Postgres.NewDatabase();
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddStorage(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IHostApplicationLifetime, TestLifetime>();
        services.AddSingleton<ProcessorSignal>();
        services.AddSingleton<IntakeActivity>();
        services.AddSingleton<IntakeWriter>();
        await using var provider = services.BuildServiceProvider();
        await provider.MigrateDatabaseAsync();
        var writer = provider.GetRequiredService<IntakeWriter>();
        await writer.StartAsync(CancellationToken.None);
        try
        {
            // The first row's id is used twice, so the second use is refused by the primary key on
            // either database; on PostgreSQL a NUL in a text column is refused too. All are queued
            // together, so they share a batch.
            var good = Enumerable.Range(0, 8).Select(i => Row($"good{i}@example.test", "mx.example.test")).ToList();
            var duplicate = Row("dup@example.test", "mx.example.test");
            duplicate.Id = good[0].Id;
            var bad = new List<InboundMessage> { duplicate };
            if (database == Database.Postgres)
            {
                bad.Add(Row("nul@example.test", "evil\0host"));
            }
            var all = good.Concat(bad).ToList();
            var commits = all.Select(m => (Message: m, Task: writer.CommitAsync(m))).ToList();
            foreach (var (message, task) in commits)
            {
                if (bad.Contains(message))
                {
                    await Assert.ThrowsAnyAsync<Exception>(() => task);
                }
                else
                {
                    await task;
                }
            }

            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            var stored = await db.Set<InboundMessage>().Select(m => m.MailFrom).OrderBy(m => m).ToListAsync();
            Assert.Equal(good.Select(m => m.MailFrom).Order(), stored);
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
            Directory.Delete(data, recursive: true);
        }
    }

    private static InboundMessage Row(string from, string helo) => new()
    {
        BlobHash = "",
        Raw = "Subject: x\r\n\r\nx\r\n"u8.ToArray(),
        Size = 16,
        MailFrom = from,
        Recipients = "team@mailroom.test",
        RemoteAddress = "127.0.0.1",
        Helo = helo,
    };
}
