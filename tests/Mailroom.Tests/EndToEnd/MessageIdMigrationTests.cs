using Mailroom.Storage;
using Mailroom.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// The MessageIdConstraints migration on a database that already holds an email posted twice
/// (what the old query let through): the upgrade succeeds, keeps both posts, and from then on the
/// same email is not posted again.
/// </summary>
public class MessageIdMigrationTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private const string Columns = "\"ReceivedAt\", \"BlobHash\", \"Size\", \"Raw\", \"MailFrom\", \"Recipients\", \"RemoteAddress\", \"Helo\", \"Status\", \"Kind\", \"Outcome\", \"FromAddress\", \"Subject\", \"MessageIdHeader\", \"Attempts\", \"LeaseUntil\", \"LeaseOwner\", \"ProcessedAt\"";
    private const string PostColumns = "\"GroupId\", \"Title\", \"Body\", \"BodyHtml\", \"Source\", \"AuthorUserId\", \"AuthorEmail\", \"AuthorName\", \"Notes\", \"IntegrationId\", \"CreatedAt\"";

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task DatabaseWithAnEmailPostedTwice_Upgrades_AndTheEmailIsNotPostedAThirdTime(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Letters");
        var email = MailFactory.Simple(integration.Address, "Posted twice before the upgrade");
        await Smtp.SendAsync(server.SmtpPort, email);
        await server.Http.WaitUntilProcessedAsync();
        var inbound = Assert.Single(await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=5"));
        server.Kill();

        // Back to the schema before the migration, with a second copy posted as the old code did.
        await using (var provider = Services(server))
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            await db.GetService<IMigrator>().MigrateAsync("InboundIndexes");
            var copy = Guid.CreateVersion7();
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO \"InboundMessages\" (\"Id\", {Columns}) SELECT {{0}}, {Columns} FROM \"InboundMessages\" WHERE \"Id\" = {{1}}", copy, inbound.Id);
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO \"Posts\" (\"Id\", \"InboundMessageId\", {PostColumns}) SELECT {{0}}, {{1}}, {PostColumns} FROM \"Posts\" WHERE \"InboundMessageId\" = {{2}}", Guid.CreateVersion7(), copy, inbound.Id);
        }

        await server.StartAsync(); // migrates up again
        Assert.Equal(2, (await server.Http.FeedAsync(integration.GroupId)).Count);
        await using (var provider = Services(server))
        await using (var scope = provider.CreateAsyncScope())
        {
            // The first copy holds the Message-ID under the index; the later one was cleared.
            var ids = await scope.ServiceProvider.GetRequiredService<MailroomDb>().Posts.OrderBy(p => p.Id).Select(p => p.EmailMessageId).ToListAsync();
            Assert.Equal([email.MessageId, null], ids);
        }

        await Smtp.SendAsync(server.SmtpPort, email);
        await server.Http.WaitUntilProcessedAsync();
        Assert.Equal(2, (await server.Http.FeedAsync(integration.GroupId)).Count);
        var latest = (await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=5")).MaxBy(e => e.Id)!;
        Assert.Equal("ignored", latest.Status);
        Assert.StartsWith("Not posted again: an email with the same Message-ID", latest.Outcome);
    }

    private static ServiceProvider Services(MailroomServer server)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(server.Settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value))).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddStorage(configuration);
        return services.BuildServiceProvider();
    }
}
