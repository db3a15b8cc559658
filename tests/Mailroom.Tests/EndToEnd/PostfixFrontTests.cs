using MailKit.Net.Smtp;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// README "Behind Postfix": a real Postfix configured with deploy/postfix in front of a real
/// Mailroom in LMTP mode. Postfix must refuse an unknown address itself, at RCPT, so it never
/// accepts mail that it would then bounce to a forged sender (backscatter).
/// </summary>
public class PostfixFrontTests
{
    private const string Domain = "mail.acme.test";

    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Postfix_DeliversAKnownAddressOverLmtp_RefusesAnUnknownOneAtRcpt_AndBouncesNothing(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database, new Dictionary<string, string>
        {
            ["Mailroom:Smtp:Mode"] = "lmtp",
            ["Mailroom:MailDomain"] = Domain,
        });
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Customer letters", newGroupName: "Customers");
        await using var postfix = await PostfixInstance.StartAsync(Domain, server.SmtpPort);

        await Smtp.SendAsync(postfix.Port, MailFactory.Simple(integration.Address, "Through Postfix", from: "carol@partner.example"));

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Smtp.SendAsync(postfix.Port, MailFactory.Simple($"nobody-here@{Domain}", "To nobody", from: "victim@forged.example")));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode); // 550, permanent
        Assert.Contains("5.1.1", refused.Message);

        // The known address's mail went through Postfix's queue to Mailroom over LMTP.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<Api.Post> feed;
        while ((feed = await server.Http.FeedAsync(integration.GroupId)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        var post = Assert.Single(feed);
        Assert.Equal("Through Postfix", post.Title);
        Assert.Equal("carol@partner.example", post.AuthorEmail);

        // Nothing is bounced: after a while the queue is empty and nothing left for the sink
        // (where any bounce to victim@forged.example would go).
        await Task.Delay(TimeSpan.FromSeconds(5));
        var queue = await postfix.QueueAsync();
        Assert.True(queue.Contains("Mail queue is empty", StringComparison.Ordinal), $"Postfix's queue still holds mail:\n{queue}\n{postfix.MailLog}");
        Assert.True(postfix.SentOut().Length == 0, $"Postfix sent mail out (a bounce):\n{postfix.MailLog}");
        Assert.Contains("NOQUEUE: reject: RCPT", postfix.MailLog);
        Assert.DoesNotContain("status=bounced", postfix.MailLog);
    }
}
