using Mailroom.Tests.Accounts;
using Mailroom.Tests.Infrastructure;
using MimeKit;
using static Mailroom.Tests.Outbound.OutboxClient;

namespace Mailroom.Tests.Outbound;

/// <summary>
/// Sending from a task through an account linked with the provider's sign-in: a token the server
/// refuses is refreshed once and the email leaves; a grant the provider revoked fails it with
/// NEMAIL_002; a Microsoft tenant that turned SMTP AUTH off moves the account to Graph.
/// </summary>
public class OutboxOAuthTests(OAuthFixture fixture) : IClassFixture<OAuthFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record AccountView(Guid Id, string Email, string Health, string? LastErrorCode, string SendVia);

    private sealed record Scene(MailroomServer Server, HttpClient Mia, Guid AccountId, Guid TaskId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Mia.Dispose();
            await Server.DisposeAsync();
        }
    }

    /// <summary>Mailroom where Mia linked her mailbox through <paramref name="provider"/>'s sign-in, and a task to email from.</summary>
    private async Task<Scene> SceneAsync(Database database, string provider, IDictionary<string, string>? more = null)
    {
        var settings = Settings;
        foreach (var (key, value) in fixture.Provider.Settings(provider, fixture.Mail).Concat(more ?? new Dictionary<string, string>()))
        {
            settings[key] = value;
        }
        var server = await MailroomServer.StartAsync(database, settings);
        await server.SetupAsync();
        var (cookies, mia) = await OAuthAccountTests.MemberAsync(server);
        await OAuthAccountTests.FollowFlowAsync(server, provider.ToLowerInvariant(), cookies);
        var account = Assert.Single(await mia.GetAsync<List<AccountView>>("/api/accounts"));
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Quote for the Berlin office");
        return new Scene(server, mia, account.Id, task.Id);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Send_WithATokenTheServerRefuses_RefreshesItOnce_AndSends_ButARevokedGrantFailsItWithNemail002(Database database)
    {
        fixture.Provider.RefuseRefresh = false;
        // Every email logs in anew (no session kept from the one before): what is tested is the login.
        await using var scene = await SceneAsync(database, "Google", new Dictionary<string, string> { ["Mailroom:Outbox:KeepSessionsOpen"] = "00:00:00" });

        // The provider stops taking the token before its time: Dovecot refuses it, the sender asks for a fresh one, and sends.
        fixture.Provider.ExpireAccessTokens();
        var refreshes = fixture.Provider.Refreshes;
        var first = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.AccountId, "max@mail.test", "Your quote", "<p>Attached soon.</p>"));
        var sent = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, first.Id);
        Assert.True(sent.Status == "Sent", $"{sent.Status} {sent.FailureCode} {sent.FailureReason}\n{scene.Server.Log}");
        Assert.Equal(refreshes + 1, fixture.Provider.Refreshes);
        Assert.Single(await WaitForAsync(fixture.Mail, "max", MailServerFixture.MaxPassword, first.Id));
        Assert.Equal(1, (await OutboxRows.EmailAsync(scene.Server, first.Id)).Attempts);

        // Then the member revokes Mailroom's access: the refused token cannot be renewed. It fails at once, with the seed's code.
        fixture.Provider.ExpireAccessTokens();
        fixture.Provider.RefuseRefresh = true;
        try
        {
            var second = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.AccountId, "max@mail.test", "Follow-up", "<p>Any news?</p>"));
            var failed = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, second.Id);
            Assert.True(failed.Status == "Failed", $"{failed.Status} {failed.FailureCode} {failed.FailureReason}");
            Assert.Equal("NEMAIL_002", failed.FailureCode);
            Assert.Contains("needs re-authentication", failed.FailureReason);
            Assert.Contains("Remove and reconnect the account", failed.FailureReason);
            Assert.Equal(1, (await OutboxRows.EmailAsync(scene.Server, second.Id)).Attempts);
            var line = Assert.Single(await scene.Mia.ActivityAsync(scene.TaskId), a => a.Kind == "EmailFailed");
            Assert.Contains("\"Follow-up\"", line.Text);
            Assert.Contains("could not be sent: NEMAIL_002", line.Text);
            var account = Assert.Single(await scene.Mia.GetAsync<List<AccountView>>("/api/accounts"));
            Assert.Equal(("NeedsReauthentication", "NEMAIL_002"), (account.Health, account.LastErrorCode));
        }
        finally
        {
            fixture.Provider.RefuseRefresh = false;
        }
        Assert.Empty(await FindAsync(fixture.Mail, "max", MailServerFixture.MaxPassword, (await scene.Mia.EmailsAsync(scene.TaskId)).Last().Id));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Send_FromAMicrosoftAccountWhoseTenantTurnedSmtpAuthOff_SwitchesToGraph_KeepingTheThreadingHeaders(Database database)
    {
        fixture.Provider.RefuseRefresh = false;
        // Microsoft's submission server (which cannot run here) answers as a scripted peer; IMAP stays the real Dovecot.
        await using var outlook = ScriptedSmtp.Start();
        await using var graph = await GraphStandIn.StartAsync(fixture.Provider);
        await using var scene = await SceneAsync(database, "Microsoft", new Dictionary<string, string>
        {
            ["Mailroom:Accounts:OAuth:Microsoft:SmtpPort"] = outlook.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mailroom:Accounts:Graph:BaseUrl"] = graph.BaseUrl,
        });
        Assert.Equal("Auto", Assert.Single(await scene.Mia.GetAsync<List<AccountView>>("/api/accounts")).SendVia);

        // A plain refused login is a refused login: NEMAIL_002, and the account stays on SMTP.
        outlook.Auth = _ => "535 5.7.8 Error: authentication failed";
        var refused = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.AccountId, "client@example.test", "First try", "<p>Hello.</p>"));
        var failed = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, refused.Id);
        Assert.Equal(("Failed", "NEMAIL_002"), (failed.Status, failed.FailureCode));
        Assert.Contains("535", failed.FailureReason);
        Assert.Equal("Auto", Assert.Single(await scene.Mia.GetAsync<List<AccountView>>("/api/accounts")).SendVia);
        Assert.Empty(graph.Received);

        // The tenant's answer when SMTP AUTH is off: the email leaves through Graph, and so does every later one.
        outlook.Auth = _ => "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.";
        var quote = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.AccountId, "client@example.test", "Your quote", "<p>Here it is.</p>"));
        var sent = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, quote.Id);
        Assert.True(sent.Status == "Sent", $"{sent.Status} {sent.FailureCode} {sent.FailureReason}\n{scene.Server.Log}");
        Assert.Equal("Graph", Assert.Single(await scene.Mia.GetAsync<List<AccountView>>("/api/accounts")).SendVia);
        var viaGraph = MimeMessage.Load(new MemoryStream(Assert.Single(graph.Received)));
        Assert.Equal(quote.Id.ToString(), viaGraph.Headers["X-Mailroom-Outbox"]);
        Assert.Equal("Your quote", viaGraph.Subject);
        Assert.Empty(outlook.Messages);

        // A reply from the task goes straight to Graph, with the ids that thread it at the client.
        var auths = outlook.Commands.Count(c => c.StartsWith("AUTH", StringComparison.Ordinal));
        var comment = (await scene.Mia.CommentsAsync(scene.TaskId)).Single(c => c.Body.Contains("Here it is."));
        var reply = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.AccountId, "client@example.test", "Re: Your quote", "<p>One more thing.</p>", replyTo: comment.Id));
        Assert.Equal("Sent", (await scene.Mia.WaitForOutcomeAsync(scene.TaskId, reply.Id)).Status);
        var answered = MimeMessage.Load(new MemoryStream(graph.Received[1]));
        Assert.Equal(reply.Id.ToString(), answered.Headers["X-Mailroom-Outbox"]);
        Assert.Equal(viaGraph.MessageId, answered.InReplyTo);
        Assert.Equal(new[] { viaGraph.MessageId }, answered.References.ToArray());
        Assert.NotEqual(viaGraph.MessageId, answered.MessageId);
        Assert.Equal(auths, outlook.Commands.Count(c => c.StartsWith("AUTH", StringComparison.Ordinal)));
    }
}
