using Mailroom.Outbound;
using Mailroom.Tests.Infrastructure;
using static Mailroom.Tests.Outbound.OutboxClient;

namespace Mailroom.Tests.Accounts.Watching;

/// <summary>
/// An email sent from a task whose Message-ID the provider replaced on the way (issue 11, items 6
/// and 8), as Outlook does: the recipient only ever knows the provider's id and replies to it.
/// Mailroom learns that id from the copy the provider filed in Sent (found by Mailroom's own
/// <c>X-Mailroom-Outbox</c> header, which such providers keep), so the reply still lands in the task.
/// </summary>
public class RewrittenMessageIdTests(RewritingMailFixture fixture) : IClassFixture<RewritingMailFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task MessageIdRewrittenByTheProvider_IsLearnedFromItsSentCopy_AndTheReplyToItLandsInTheTaskOnce(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database, WatchScenario.Settings(Settings));
        var s = await WatchScenario.CreateAsync(server, fixture.Mail, fixture.NextUser(), WatchMailFixture.Password, serverSavesSentCopy: true);
        Assert.True((await s.AccountAsync()).ServerSavesSentCopy);

        var queued = await s.Mia.QueueAsync(s.TaskId, Form(s.AccountId, $"Max Outside <{fixture.Mail.Address("max")}>", "Quote, second try", "<p>Dear Max, the quote again.</p>"));
        var sent = await s.Mia.WaitForOutcomeAsync(s.TaskId, queued.Id);
        Assert.True(sent.Status == "Sent", $"{sent.Status} {sent.FailureCode} {sent.FailureReason}\n{server.Log}");

        // Max got the provider's id, not Mailroom's; Mia's Sent holds the provider's one copy (Mailroom appended none).
        var received = Assert.Single(await WaitForAsync(fixture.Mail, "max", WatchMailFixture.Password, queued.Id));
        var rewritten = received.MessageId!;
        Assert.StartsWith("rewritten-", rewritten);
        Assert.EndsWith("@" + RewritingMailFixture.RewrittenDomain, rewritten);
        Assert.Equal(rewritten, Assert.Single(await WaitForAsync(fixture.Mail, s.User, WatchMailFixture.Password, queued.Id, sent: true)).MessageId);

        // Learned from that copy, for the task the email was sent from.
        MailThreadId? known = null;
        await Until.TrueAsync(async () => (known = await WatchRows.ThreadIdAsync(server, rewritten)) is not null,
            "the provider's id to be learned from Sent", TimeSpan.FromSeconds(30), () => server.Log);
        Assert.Equal((ThreadIdSource.Provider, s.TaskId, queued.Id), (known!.Source, known.TaskId, known.OutboundEmailId));

        // Max answers what he got: his In-Reply-To and References name only the rewritten id.
        await s.DeliverAsync("Re: Quote, second try", "Agreed at 4,000 EUR.", rewritten);
        var reply = await s.WaitForCommentAsync("4,000 EUR");
        await server.Http.WaitUntilProcessedAsync();

        var email = Assert.Single(await s.Mia.ActivityAsync(s.TaskId), a => a.Kind == "Email").Comment!;
        var thread = (await s.CommentsAsync()).Single(c => c.Id == email.Id);
        Assert.Equal(reply.Id, Assert.Single(thread.Replies).Id);
        Assert.Single(await WatchRows.ImportedAsync(server, s.AccountId));
        Assert.Single(await FindAsync(fixture.Mail, s.User, WatchMailFixture.Password, queued.Id, sent: true));
    }
}
