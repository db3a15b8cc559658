using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts.Watching;

/// <summary>
/// What the watcher makes of a mailbox it cannot use (issue 11, item 10), against a real Dovecot:
/// a changed password is NEMAIL_002 at once but "needs re-authentication" only after repeated
/// refusals, and then the member sees the banner and the other admins are told, once; a server
/// that is down is "cannot connect", never re-authentication, and the account heals by itself.
/// </summary>
public class AccountHealthTests(WatchMailFixture fixture) : IClassFixture<WatchMailFixture>
{
    private sealed record TestView(bool Ok, string? FailedStep, string? Code, string? Detail);

    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private async Task<(MailroomServer Server, WatchScenario Scenario)> StartAsync(Database database, IDictionary<string, string>? settings = null)
    {
        var server = await MailroomServer.StartAsync(database, WatchScenario.Settings(settings));
        try
        {
            return (server, await WatchScenario.CreateAsync(server, fixture.Mail, fixture.NextUser(), WatchMailFixture.Password));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PasswordChangedAtTheProvider_IsNemail002_NeedsReauthenticationOnlyAfterTheThreshold_ThenBannerAndAdminsTold_AndANewPasswordResumes(Database database)
    {
        // Two seconds between logins: wide enough to read the account between the first refusal and the threshold.
        var (server, s) = await StartAsync(database, new Dictionary<string, string>
        {
            ["Mailroom:Accounts:Watch:RetryMin"] = "00:00:02",
            ["Mailroom:Accounts:Watch:RetryMax"] = "00:00:02",
        });
        await using var _ = server;
        var cookies = await WebSignIn.CookiesAsync(server, "mia@acme.test", "member-password");
        const string changed = "changed-at-the-provider";
        var address = fixture.Mail.Address(s.User);

        await fixture.Mail.SetPasswordAsync(s.User, changed);
        await fixture.Mail.KickAsync(s.User);

        // The first refusal: the member reads NEMAIL_002 and its remedy, but one refusal is not enough to give up.
        var refused = await s.WaitForAccountAsync(a => a.LastErrorCode == "NEMAIL_002", "the refused login to show as NEMAIL_002");
        Assert.NotEqual("NeedsReauthentication", refused.Health);
        Assert.Contains("Remove and reconnect the account", refused.LastErrorRemedy);
        Assert.Empty(await s.AccountNoticesAsync(server.Http));
        Assert.DoesNotContain("needs re-authentication", await WebSignIn.PageAsync(server, "/settings/email-accounts", cookies));

        var needs = await s.WaitForAccountAsync(a => a.Health == "NeedsReauthentication", "the account to need re-authentication");
        Assert.Equal("NEMAIL_002", needs.LastErrorCode);
        // Only at the threshold (WatchOptions.AuthFailureThreshold, 3): the two refusals before it were counted and waited out.
        Assert.Equal(3, (await WatchRows.WatchAsync(server, s.AccountId))!.ConsecutiveAuthFailures);
        await Until.TrueAsync(async () => (await s.AccountNoticesAsync(server.Http)).Count > 0, "the owner to be told", TimeSpan.FromSeconds(10), () => server.Log);

        // Mia linked it: the banner with its button. The owner (the other admin) is told, once; Fred, a member, is not.
        var page = await WebSignIn.PageAsync(server, "/settings/email-accounts", cookies);
        Assert.Contains($"Your email account {address} needs re-authentication", page);
        Assert.Contains("Re-authenticate", page);
        var notice = Assert.Single(await s.AccountNoticesAsync(server.Http));
        Assert.Contains($"{address} needs re-authentication", notice.Text);
        Assert.Contains("Mia Member", notice.Text);
        Assert.Empty(await s.AccountNoticesAsync(s.Fred));
        Assert.Empty(await s.AccountNoticesAsync(s.Mia));

        // The watch ended and its lease was given up; no server claims an account that needs re-authentication,
        // so nothing more is tried with the old password and nobody is told again.
        await Until.TrueAsync(async () => await WatchRows.WatchAsync(server, s.AccountId) is { HolderId: null }, "the watch to end", TimeSpan.FromSeconds(20), () => server.Log);
        var log = server.Log;
        Assert.True(log.Contains("(1 in a row)") && log.Contains("(2 in a row)") && log.Contains("needs re-authentication after 3 refused logins"), log);
        Assert.Equal(3, (await WatchRows.WatchAsync(server, s.AccountId))!.ConsecutiveAuthFailures);
        Assert.Single(await s.AccountNoticesAsync(server.Http));

        // Re-authenticated with the new password: Active, the banner gone, and replies come in again.
        var reauthenticated = DateTimeOffset.UtcNow;
        using (var put = await s.Mia.PutAsJsonAsync($"/api/accounts/{s.AccountId}/password", new { password = changed }))
        {
            await Api.EnsureAsync(put);
            var test = (await put.Content.ReadFromJsonAsync<TestView>())!;
            Assert.True(test.Ok, test.Detail);
        }
        var healed = await s.AccountAsync();
        Assert.Equal(("Active", null), (healed.Health, healed.LastErrorCode));
        Assert.DoesNotContain("needs re-authentication", await WebSignIn.PageAsync(server, "/settings/email-accounts", cookies));
        await s.WaitUntilWatchedAsync(reauthenticated);
        Assert.Equal(0, (await WatchRows.WatchAsync(server, s.AccountId))!.ConsecutiveAuthFailures);

        await s.DeliverAsync("Re: quote", "Back again: 3,900 EUR.", s.SentMessageId);
        var reply = await s.WaitForCommentAsync("3,900 EUR");
        Assert.Equal(reply.Id, Assert.Single(Assert.Single(await s.CommentsAsync()).Replies).Id);
        Assert.DoesNotContain(changed, server.Log);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ImapServerDown_IsCannotConnect_NeverReauthentication_AndHealsByItself_ImportingWhatCameMeanwhileOnce(Database database)
    {
        var (server, s) = await StartAsync(database);
        await using var _ = server;
        const int threshold = 3;

        var stopped = false;
        try
        {
            await fixture.Mail.StopImapAsync();
            stopped = true;
            var down = await s.WaitForAccountAsync(a => a.Health == "CannotConnect", "the account to show it cannot connect");
            Assert.Equal("account_unreachable", down.LastErrorCode);

            // A reply arrives while the mailbox server is down: the provider's MX keeps it queued.
            var replyId = await s.DeliverAsync("Re: quote", "While you were away: 5,100 EUR.", s.SentMessageId);

            // Twice as many failed connections as refused logins would take: still only "cannot connect".
            await Until.TrueAsync(async () => await WatchRows.WatchAsync(server, s.AccountId) is { ConsecutiveConnectFailures: var n } && n >= 2 * threshold,
                "the watcher to keep trying", TimeSpan.FromSeconds(30), () => server.Log);
            var still = await s.AccountAsync();
            Assert.Equal(("CannotConnect", "account_unreachable"), (still.Health, still.LastErrorCode));
            Assert.Equal(0, (await WatchRows.WatchAsync(server, s.AccountId))!.ConsecutiveAuthFailures);
            Assert.Empty(await s.AccountNoticesAsync(server.Http));

            await fixture.Mail.StartImapAsync();
            stopped = false;
            await fixture.Mail.FlushQueueAsync();
            await s.WaitInMailboxAsync(replyId);

            await s.WaitForAccountAsync(a => a.Health == "Active" && a.LastErrorCode is null, "the account to be Active again by itself");
            var reply = await s.WaitForCommentAsync("5,100 EUR");
            await server.Http.WaitUntilProcessedAsync();
            Assert.Equal(reply.Id, Assert.Single(Assert.Single(await s.CommentsAsync()).Replies).Id);
            Assert.Single(await WatchRows.ImportedAsync(server, s.AccountId));
            Assert.Empty(await s.AccountNoticesAsync(server.Http));
            Assert.DoesNotContain("re-authentication", server.Log);
        }
        finally
        {
            if (stopped)
            {
                await fixture.Mail.StartImapAsync();
            }
        }
    }
}
