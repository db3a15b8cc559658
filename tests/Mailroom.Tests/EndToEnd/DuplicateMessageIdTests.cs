using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Inbound;
using Mailroom.Storage;
using Mailroom.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// Two copies of one email (same Message-ID: a sender's retransmission, or one email received by
/// two servers) become one post, however close together they are processed: a unique index,
/// not only a query, decides.
/// </summary>
public class DuplicateMessageIdTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TwoCopiesInOneBatch_BecomeOnePost_TheOtherIsIgnoredAsTheSameMessageId(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Letters");
        var email = MailFactory.Simple(integration.Address, "Sent twice");

        // Both copies wait while the server is down, so its processor claims them in one batch.
        server.Kill();
        await StorePendingAsync(server, email, integration.Address, copies: 2);
        await server.StartAsync();
        await server.Http.WaitUntilProcessedAsync();

        var post = Assert.Single(await server.Http.FeedAsync(integration.GroupId));
        Assert.Equal("Sent twice", post.Title);
        var entries = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=10");
        Assert.Equal(2, entries.Count);
        Assert.Single(entries, e => e.Status == "posted");
        var ignored = Assert.Single(entries, e => e.Status == "ignored");
        Assert.StartsWith("Not posted again: an email with the same Message-ID", ignored.Outcome);
    }

    [Fact]
    public async Task TwoServersOnOneDatabase_ReceivingTheSameEmailsAtOnce_PostEachOnce()
    {
        var blobs = Directory.CreateTempSubdirectory("mailroom-shared-blobs-");
        var shared = new Dictionary<string, string>
        {
            ["Mailroom:Database:Provider"] = "postgres",
            ["ConnectionStrings:Mailroom"] = Postgres.NewDatabase(),
            ["Mailroom:BlobDirectory"] = blobs.FullName,
        };
        await using var first = await MailroomServer.StartAsync(Database.Sqlite, shared);
        await first.SetupAsync();
        await using var second = await MailroomServer.StartAsync(Database.Sqlite, shared);
        var integration = await first.Http.AddIntegrationAsync("Shared");

        // Each email reaches both servers at the same moment (e.g. two MX hosts, a sender retrying
        // on the other one): each server processes its copy right away.
        const int emails = 20;
        using var toFirst = await ConnectAsync(first.SmtpPort);
        using var toSecond = await ConnectAsync(second.SmtpPort);
        for (var i = 0; i < emails; i++)
        {
            var email = MailFactory.Simple(integration.Address, $"both-{i:D2}");
            await Task.WhenAll(toFirst.SendAsync(email), toSecond.SendAsync(email));
        }
        await first.Http.WaitUntilProcessedAsync();

        var titles = (await first.Http.WholeFeedAsync(integration.GroupId)).Select(p => p.Title).Order().ToList();
        Assert.Equal(Enumerable.Range(0, emails).Select(i => $"both-{i:D2}"), titles);
        var entries = await first.Http.GetAsync<List<Api.InboundEntry>>($"/api/inbound?take={2 * emails}");
        Assert.Equal(emails, entries.Count(e => e.Status == "ignored" && e.Outcome!.StartsWith("Not posted again: an email with the same Message-ID", StringComparison.Ordinal)));
        Assert.Empty(await first.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?status=failed"));
        blobs.Delete(recursive: true);
    }

    private static async Task<SmtpClient> ConnectAsync(int port)
    {
        var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        return client;
    }

    /// <summary>Stores copies as the intake does (inline raw, pending), in the server's own database, while it is down.</summary>
    private static async Task StorePendingAsync(MailroomServer server, MimeMessage email, string recipient, int copies)
    {
        using var raw = new MemoryStream();
        await email.WriteToAsync(raw);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(server.Settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value))).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddStorage(configuration);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        for (var i = 0; i < copies; i++)
        {
            db.InboundMessages.Add(new InboundMessage
            {
                BlobHash = "",
                Raw = raw.ToArray(),
                Size = raw.Length,
                MailFrom = "alice@example.com",
                Recipients = recipient.ToLowerInvariant(),
            });
        }
        await db.SaveChangesAsync();
    }
}
