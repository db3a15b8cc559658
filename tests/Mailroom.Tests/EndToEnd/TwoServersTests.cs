using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Several servers on one PostgreSQL database: each message becomes one post, whoever processes it.</summary>
public class TwoServersTests
{
    [Fact]
    public async Task TwoServersOnOneDatabase_ShareTheWork_AndPostEachEmailOnce()
    {
        var connection = Postgres.NewDatabase();
        var blobs = Directory.CreateTempSubdirectory("mailroom-shared-blobs-");
        var shared = new Dictionary<string, string>
        {
            ["Mailroom:Database:Provider"] = "postgres",
            ["ConnectionStrings:Mailroom"] = connection,
            ["Mailroom:Inbound:BatchSize"] = "4",
            // Each server has its own data directory; the blobs are on storage they share.
            ["Mailroom:BlobDirectory"] = blobs.FullName,
        };
        await using var first = await MailroomServer.StartAsync(Database.Sqlite, shared);
        await first.SetupAsync();
        await using var second = await MailroomServer.StartAsync(Database.Sqlite, shared);
        second.Http.DefaultRequestHeaders.Authorization = first.Http.DefaultRequestHeaders.Authorization;
        var integration = await first.Http.AddIntegrationAsync("Shared");

        const int total = 120;
        async Task SendAsync(int port, int start)
        {
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
            for (var i = start; i < total; i += 2)
            {
                await client.SendAsync(MailFactory.Simple(integration.Address, $"shared-{i:D3}"));
            }
            await client.DisconnectAsync(true);
        }
        await Task.WhenAll(SendAsync(first.SmtpPort, 0), SendAsync(second.SmtpPort, 1));
        await first.Http.WaitUntilProcessedAsync();

        var titles = (await second.Http.WholeFeedAsync(integration.GroupId)).Select(p => p.Title).ToList();
        Assert.Equal(total, titles.Count);
        Assert.Equal(total, titles.Distinct().Count());
        Assert.Empty(await first.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?status=failed"));
        blobs.Delete(recursive: true);
    }
}
