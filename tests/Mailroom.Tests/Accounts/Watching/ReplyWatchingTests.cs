using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts.Watching;

/// <summary>
/// Replies to an email sent from a task come back into the task from the sender's own mailbox
/// (issue 11, item 8), against a real Dovecot: once, whatever the subject became, across restarts,
/// UIDVALIDITY changes and downtime; mail that answers no task is never imported.
/// </summary>
public class ReplyWatchingTests(WatchMailFixture fixture) : IClassFixture<WatchMailFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private async Task<(MailroomServer Server, WatchScenario Scenario)> StartAsync(Database database, string replyMode = "threaded")
    {
        var server = await MailroomServer.StartAsync(database, WatchScenario.Settings());
        try
        {
            return (server, await WatchScenario.CreateAsync(server, fixture.Mail, fixture.NextUser(), WatchMailFixture.Password, replyMode));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Reply_WithChangedSubject_LandsInTaskOnce_Threaded_AndNotifiesFollowersAndSender(Database database)
    {
        var (server, s) = await StartAsync(database);
        await using var _ = server;

        var replyId = await s.DeliverAsync("Re: something else entirely", "Here is our quote: 4,200 EUR.", s.SentMessageId);
        await s.WaitInMailboxAsync(replyId);
        // IDLE: the server says EXISTS the moment it lands, and the watcher fetches it at once
        // (how fast is bench/'s figure, not this test's: a loaded CI machine is no stopwatch).
        var reply = await s.WaitForCommentAsync("4,200 EUR");

        var sent = Assert.Single(await s.CommentsAsync());
        Assert.Equal(s.SentCommentId, sent.Id);
        Assert.Equal(reply.Id, Assert.Single(sent.Replies).Id);
        Assert.Equal((true, fixture.Mail.Address("max")), (reply.FromEmail, reply.AuthorEmail));
        Assert.DoesNotContain("could you send us a quote", reply.Body);

        var row = Assert.Single(await WatchRows.ImportedAsync(server, s.AccountId));
        Assert.Equal(("Posted", fixture.Mail.Address(s.User), fixture.Mail.Address("max"), null), (row.Status.ToString(), row.Recipients, row.MailFrom, row.RemoteAddress));

        // Fred follows the task; Mia sent the email answered (and no longer follows): both told, once.
        Assert.Equal(reply.Id, Assert.Single(await WatchScenario.NotificationsAsync(s.Fred)).CommentId);
        Assert.Equal(reply.Id, Assert.Single(await WatchScenario.NotificationsAsync(s.Mia)).CommentId);

        // A reply to the imported reply belongs to the task too.
        await s.DeliverAsync("Re: Re: something else entirely", "Valid until Friday.", s.SentMessageId, replyId);
        await s.WaitForCommentAsync("Valid until Friday");
        Assert.Equal(2, Assert.Single(await s.CommentsAsync()).Replies.Count);

        // Restarted: the checkpoint says both were looked at; nothing is imported again.
        server.Kill();
        var restarted = DateTimeOffset.UtcNow;
        await server.StartAsync();
        await s.WaitUntilWatchedAsync(restarted);
        Assert.Equal(2, (await WatchRows.ImportedAsync(server, s.AccountId)).Count);

        // The provider renumbers the mailbox: re-seeded from the date window, deduplicated by Message-ID.
        await fixture.Mail.ChangeUidValidityAsync(s.User, 777_001);
        await fixture.Mail.KickAsync(s.User);
        await Until.TrueAsync(async () => await WatchRows.WatchAsync(server, s.AccountId) is { UidValidity: 777_001 }, "the new UIDVALIDITY to be checkpointed", TimeSpan.FromSeconds(20), () => server.Log);
        await s.DeliverAsync("Re: one more thing", "Delivery in two weeks.", s.SentMessageId);
        await s.WaitForCommentAsync("Delivery in two weeks");
        await server.Http.WaitUntilProcessedAsync();

        var rows = await WatchRows.ImportedAsync(server, s.AccountId);
        Assert.Equal(3, rows.Count);
        Assert.Equal(777_001, rows[^1].ImapUidValidity);
        Assert.Equal(3, Assert.Single(await s.CommentsAsync()).Replies.Count);
        Assert.Equal(3, (await WatchScenario.NotificationsAsync(s.Fred)).Count);
        Assert.DoesNotContain(WatchMailFixture.Password, server.Log);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Reply_WhenTheWorkspaceWantsNewComments_IsANewTopLevelComment(Database database)
    {
        var (server, s) = await StartAsync(database, replyMode: "NewComment");
        await using var _ = server;

        await s.DeliverAsync("Quote", "Our price is 990 EUR.", s.SentMessageId);
        var reply = await s.WaitForCommentAsync("990 EUR");

        var comments = await s.CommentsAsync();
        Assert.Equal(2, comments.Count);
        Assert.Contains(comments, c => c.Id == reply.Id && c.ParentCommentId is null);
        Assert.Empty(comments.Single(c => c.Id == s.SentCommentId).Replies);
        Assert.Equal(reply.Id, Assert.Single(await WatchScenario.NotificationsAsync(s.Mia)).CommentId);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RepliesArrivingWhileMailroomIsDown_AreAllImportedAfterRestart_AndOtherMailNever(Database database)
    {
        var (server, s) = await StartAsync(database);
        await using var _ = server;
        server.Kill();

        string[] texts = ["First answer: yes.", "Second answer: blue.", "Third answer: Tuesday."];
        foreach (var text in texts)
        {
            await s.WaitInMailboxAsync(await s.DeliverAsync("Re: quote", text, s.SentMessageId));
        }
        // Mail that answers nothing Mailroom sent: a newsletter, and a reply in someone else's thread.
        await s.WaitInMailboxAsync(await s.DeliverAsync("Our autumn newsletter", "Ten new products."));
        await s.WaitInMailboxAsync(await s.DeliverAsync("Re: lunch?", "Sure, at noon.", "lunch-123@elsewhere.test"));
        var highest = await s.HighestUidAsync();

        await server.StartAsync();
        foreach (var text in texts)
        {
            await s.WaitForCommentAsync(text);
        }
        // Once the checkpoint is past every message, the other mail was looked at and left alone.
        await Until.TrueAsync(async () => await WatchRows.WatchAsync(server, s.AccountId) is { } w && w.LastUid >= highest, "the checkpoint to pass every message", TimeSpan.FromSeconds(20));
        await server.Http.WaitUntilProcessedAsync();
        var rows = await WatchRows.ImportedAsync(server, s.AccountId);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("Posted", r.Status.ToString()));
        Assert.Equal(3, Assert.Single(await s.CommentsAsync()).Replies.Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ReplyLandingWhileACatchUpRuns_IsImported_WithoutWaitingForTheNextMail(Database database)
    {
        // IDLE is re-issued only after 10 minutes here, so nothing but the watcher noticing the
        // mail that came during its own catch-up can bring the last reply in within the test.
        var server = await MailroomServer.StartAsync(database, WatchScenario.Settings(new Dictionary<string, string>
        {
            ["Mailroom:Accounts:Watch:IdleRefresh"] = "00:10:00",
        }));
        await using var _ = server;
        var s = await WatchScenario.CreateAsync(server, fixture.Mail, fixture.NextUser(), WatchMailFixture.Password);
        server.Kill();

        const int Backlog = 200;
        await s.DeliverAllAsync(Enumerable.Range(1, Backlog).Select(i => ("Re: quote", $"Backlog answer number {i}.")), s.SentMessageId);
        await Until.TrueAsync(async () => await s.HighestUidAsync() >= Backlog, $"the {Backlog} replies to reach the mailbox", TimeSpan.FromSeconds(60), () => fixture.Mail.MailLog);

        await server.StartAsync();
        // The catch-up's SEARCH ran before its first import: a reply delivered now is not in it.
        await Until.TrueAsync(async () => (await WatchRows.ImportedAsync(server, s.AccountId)).Count > 0, "the catch-up to import its first reply", TimeSpan.FromSeconds(60), () => server.Log);
        var lateId = await s.DeliverAsync("Re: quote", "The late answer: yes, Thursday.", s.SentMessageId);
        await s.WaitInMailboxAsync(lateId);
        var importedWhenItLanded = (await WatchRows.ImportedAsync(server, s.AccountId)).Count;
        // The premise: the catch-up was still fetching (more IMAP commands to come) when it landed.
        Assert.True(importedWhenItLanded < Backlog - 10, $"The catch-up had imported {importedWhenItLanded} of {Backlog} when the late reply landed: too far to be sure it was still running.");

        // Nothing more arrives: the late reply is imported all the same.
        await s.WaitForCommentAsync("The late answer", TimeSpan.FromSeconds(60));
        await server.Http.WaitUntilProcessedAsync();
        var rows = await WatchRows.ImportedAsync(server, s.AccountId);
        Assert.Equal(Backlog + 1, rows.Count);
        Assert.Equal(Backlog + 1, rows.Select(r => r.MessageIdHeader).Distinct().Count());
        Assert.Contains(rows, r => r.MessageIdHeader?.Trim('<', '>') == lateId);
        Assert.Equal(Backlog + 1, Assert.Single(await s.CommentsAsync()).Replies.Count);
    }
}
