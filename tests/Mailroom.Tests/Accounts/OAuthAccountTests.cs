using System.Net;
using Mailroom.Accounts;
using Mailroom.Outbound;
using Mailroom.Storage;
using Mailroom.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Tests.Accounts;

/// <summary>
/// Linking a mailbox through the provider's sign-in, against a stand-in provider and a real
/// Dovecot that checks the tokens: IMAP and SMTP log in with XOAUTH2, an expired token is
/// refreshed, a revoked grant makes the account need re-authentication, a denied consent is NAUTH_013.
/// </summary>
[Collection(nameof(OAuthAccountTests))]
public class OAuthAccountTests(OAuthFixture fixture) : IClassFixture<OAuthFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record Account(Guid Id, Guid UserId, string Email, string Provider, string Username, string Health, string? LastErrorCode, string AuthKind, string? LastErrorRemedy);
    private sealed record TestView(bool Ok, string? FailedStep, string? Reason, string? Code, string? Detail);

    private async Task<MailroomServer> StartAsync(Database database, string provider = "Google")
    {
        var settings = fixture.Provider.Settings(provider, fixture.Mail);
        settings["Mailroom:Accounts:AllowPrivateHosts"] = "true";
        settings["Logging:LogLevel:Mailroom.Accounts"] = "Information";
        var server = await MailroomServer.StartAsync(database, settings);
        await server.SetupAsync();
        return server;
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Link_ThroughTheProvider_LogsInWithTheToken_RefreshesWhenRefused_AndKeepsTokensOnlyAsCiphertext(Database database)
    {
        fixture.Provider.RefuseRefresh = false;
        fixture.Provider.DenyConsent = null;
        await using var server = await StartAsync(database);
        var (cookies, api) = await MemberAsync(server);
        using var _ = api;

        var landed = await FollowFlowAsync(server, "google", cookies);
        Assert.StartsWith("/settings/email-accounts?linked=", landed);
        var account = Assert.Single(await api.GetAsync<List<Account>>("/api/accounts"));
        Assert.Equal(("mia@mail.test", "Gmail", "OAuth", "Active"), (account.Email, account.Provider, account.AuthKind, account.Health));
        Assert.Contains($"linked={account.Id}", landed);

        // The saved account logs in to IMAP and SMTP with its token (Dovecot asks the provider).
        var test = await api.PostAsync<TestView>($"/api/accounts/{account.Id}/test", new { });
        Assert.True(test.Ok, test.Detail + fixture.Mail.DovecotLog[^Math.Min(2000, fixture.Mail.DovecotLog.Length)..]);
        var refreshesBefore = fixture.Provider.Refreshes;

        // The provider stops accepting the token an hour early: the refused login refreshes it once, and passes.
        fixture.Provider.ExpireAccessTokens();
        test = await api.PostAsync<TestView>($"/api/accounts/{account.Id}/test", new { });
        Assert.True(test.Ok, test.Detail);
        Assert.Equal(refreshesBefore + 1, fixture.Provider.Refreshes);

        // Only ciphertext on disk: no issued token in any column.
        var row = Assert.Single(await AccountRows.ReadAsync(server));
        foreach (var token in fixture.Provider.IssuedAccessTokens.Concat(fixture.Provider.IssuedRefreshTokens))
        {
            Assert.All(row, column => Assert.DoesNotContain(token, column.Value ?? ""));
            Assert.DoesNotContain(token, server.Log);
        }
        Assert.Equal("OAuth", row["AuthKind"]);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RefreshRefusedWithInvalidGrant_MakesTheAccountNeedReauthentication_WithNemail002(Database database)
    {
        fixture.Provider.RefuseRefresh = false;
        fixture.Provider.DenyConsent = null;
        await using var server = await StartAsync(database);
        var (cookies, api) = await MemberAsync(server);
        using var _ = api;
        await FollowFlowAsync(server, "google", cookies);
        var account = Assert.Single(await api.GetAsync<List<Account>>("/api/accounts"));

        fixture.Provider.ExpireAccessTokens();
        fixture.Provider.RefuseRefresh = true;
        try
        {
            var test = await api.PostAsync<TestView>($"/api/accounts/{account.Id}/test", new { });
            Assert.Equal((false, "NEMAIL_002"), (test.Ok, test.Code));
            Assert.Contains("re-authentication", test.Detail);
        }
        finally
        {
            fixture.Provider.RefuseRefresh = false;
        }
        account = Assert.Single(await api.GetAsync<List<Account>>("/api/accounts"));
        Assert.Equal(("NeedsReauthentication", "NEMAIL_002"), (account.Health, account.LastErrorCode));
        Assert.Contains("Remove and reconnect the account", account.LastErrorRemedy);

        // The owner (an admin) is told; the member sees the banner on the page.
        var notices = await server.Http.GetAsync<List<Notice>>("/api/notifications");
        Assert.Contains(notices, n => n.Text.Contains("mia@mail.test needs re-authentication") && n.AccountId == account.Id);
        var page = await WebSignIn.PageAsync(server, "/settings/email-accounts", cookies);
        Assert.Contains("Your email account mia@mail.test needs re-authentication", page);
        Assert.Contains($"/settings/email-accounts/oauth/google/start?account={account.Id}", page);

        // Re-authenticating through the provider makes it work again.
        var landed = await FollowFlowAsync(server, "google", cookies, $"?account={account.Id}");
        Assert.Contains($"linked={account.Id}", landed);
        account = Assert.Single(await api.GetAsync<List<Account>>("/api/accounts"));
        Assert.Equal("Active", account.Health);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task GraphSender_PostsTheRawMime_HeadersIntact_AndMapsGraphRefusalsToSendFailure(Database database)
    {
        fixture.Provider.RefuseRefresh = false;
        fixture.Provider.DenyConsent = null;
        await using var graph = await GraphStandIn.StartAsync(fixture.Provider);
        await using var server = await StartAsync(database, "Microsoft");
        var (cookies, api) = await MemberAsync(server);
        using var _ = api;
        await FollowFlowAsync(server, "microsoft", cookies);

        // The sender as the outbox's worker runs it: the app's own services on the server's database and keys.
        var settings = new Dictionary<string, string?>(server.Settings.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
        foreach (var (key, value) in fixture.Provider.Settings("Microsoft", fixture.Mail))
        {
            settings[key] = value;
        }
        settings["Mailroom:Accounts:Graph:BaseUrl"] = graph.BaseUrl;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSingleton(TimeProvider.System);
        services.AddDataProtection().SetApplicationName("Mailroom").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(server.DataDirectory, "keys")));
        services.AddStorage(configuration);
        services.AddAccounts();
        services.AddOutbound();
        await using var provider = services.BuildServiceProvider();
        MailAccount account;
        await using (var scope = provider.CreateAsyncScope())
        {
            account = await scope.ServiceProvider.GetRequiredService<MailroomDb>().MailAccounts.AsNoTracking().SingleAsync();
        }
        var sender = provider.GetRequiredService<GraphMailSender>();

        var message = new MimeKit.MimeMessage();
        message.From.Add(MimeKit.MailboxAddress.Parse("mia@mail.test"));
        message.To.Add(MimeKit.MailboxAddress.Parse("client@example.test"));
        message.Subject = "Re: The quote";
        message.MessageId = "task-reply-1@mailroom.test";
        message.InReplyTo = "client-question@example.test";
        message.Body = new MimeKit.TextPart("plain") { Text = "Here it is." };
        var result = await sender.SendAsync(account, message, CancellationToken.None);
        Assert.True(result.ProviderSavesSentCopy);
        var received = MimeKit.MimeMessage.Load(new MemoryStream(Assert.Single(graph.Received)));
        Assert.Equal(("task-reply-1@mailroom.test", "client-question@example.test", "Re: The quote"), (received.MessageId, received.InReplyTo, received.Subject));
        Assert.Equal("Here it is.", received.TextBody?.Trim());

        graph.Refuse = (403, "ErrorAccessDenied");
        var denied = await Assert.ThrowsAsync<SendFailure>(() => sender.SendAsync(account, message, CancellationToken.None));
        Assert.Equal(("NAUTH_013", true), (denied.Code, denied.Permanent));
        graph.Refuse = (429, "ApplicationThrottled");
        var throttled = await Assert.ThrowsAsync<SendFailure>(() => sender.SendAsync(account, message, CancellationToken.None));
        Assert.Equal(("graph_429", false), (throttled.Code, throttled.Permanent));
        Assert.Single(graph.Received);
    }

    private sealed record Notice(Guid Id, Guid? TaskId, string Text, Guid? AccountId);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ConsentDeniedByTheMicrosoftTenant_IsNauth013_WithItsCauses_AndLinksNothing(Database database)
    {
        fixture.Provider.DenyConsent = ("access_denied", "AADSTS65001: The user or administrator has not consented to use the application.");
        try
        {
            await using var server = await StartAsync(database, "Microsoft");
            var (cookies, api) = await MemberAsync(server);
            using var _ = api;

            var landed = await FollowFlowAsync(server, "microsoft", cookies);
            Assert.Contains("problem=NAUTH_013", landed);
            var page = await WebSignIn.PageAsync(server, landed, cookies);
            Assert.Contains("NAUTH_013", page);
            Assert.Contains("incorrect global permissions (third-party apps may be blocked)", page);
            Assert.Contains("Consent for Mailroom is missing", page);
            Assert.Empty(await api.GetAsync<List<Account>>("/api/accounts"));
        }
        finally
        {
            fixture.Provider.DenyConsent = null;
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Callback_WithAnotherMembersState_LinksNothing(Database database)
    {
        await using var server = await StartAsync(database);
        var (miaCookies, mia) = await MemberAsync(server);
        using var _ = mia;
        var (maxCookies, max) = await MemberAsync(server, "Max Member", "max@acme.test");
        using var __ = max;

        // Mia starts; Max's browser is made to finish her flow.
        var toProvider = await GetAsync(server, "/settings/email-accounts/oauth/google/start", miaCookies);
        var back = await GetAsync(server, toProvider!, []);
        var landed = await GetAsync(server, back!, maxCookies);
        Assert.Contains("problem=oauth_state_invalid", landed);
        Assert.Empty(await mia.GetAsync<List<Account>>("/api/accounts"));
        Assert.Empty(await max.GetAsync<List<Account>>("/api/accounts"));
    }

    /// <summary>Start → provider → callback, as a browser follows the redirects; returns where Mailroom landed the member.</summary>
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Link_BeyondThePlansAccounts_IsRefusedAtTheStart_AndAtTheCallbackIfTheLimitCameMeanwhile(Database database)
    {
        fixture.Provider.RefuseRefresh = false;
        fixture.Provider.DenyConsent = null;
        await using var server = await StartAsync(database);
        var (miaCookies, mia) = await MemberAsync(server);
        var (maxCookies, max) = await MemberAsync(server, "Max Member", "max@acme.test");
        using var _m = mia;
        using var _x = max;
        Assert.StartsWith("/settings/email-accounts?linked=", await FollowFlowAsync(server, "google", miaCookies));

        // Free Forever includes one account: Max is sent back before he signs in at the provider, and told why.
        var refused = await GetAsync(server, "/settings/email-accounts/oauth/google/start", maxCookies);
        Assert.Equal("/settings/email-accounts?problem=plan_email_accounts_reached", refused);
        var page = WebUtility.HtmlDecode(await WebForm.GetAsync(server, refused!, maxCookies));
        Assert.Contains("Free Forever includes 1 email account, and it is in use.", page);

        // On Business (two) he may start; the workspace moves back to Free before he returns: nothing is linked.
        await server.UsePlanAsync("business");
        var toProvider = await GetAsync(server, "/settings/email-accounts/oauth/google/start", maxCookies);
        var back = await GetAsync(server, toProvider!, []);
        await server.UsePlanAsync("free");
        Assert.Equal("/settings/email-accounts?problem=plan_email_accounts_reached", await GetAsync(server, back!, maxCookies));
        Assert.Empty(await max.GetAsync<List<Account>>("/api/accounts"));
        Assert.Single(await server.Http.GetAsync<List<Account>>("/api/accounts"));
    }

    internal static async Task<string> FollowFlowAsync(MailroomServer server, string provider, IReadOnlyList<string> cookies, string query = "")
    {
        var toProvider = await GetAsync(server, $"/settings/email-accounts/oauth/{provider}/start{query}", cookies);
        Assert.NotNull(toProvider);
        var back = await GetAsync(server, toProvider, []);
        Assert.NotNull(back);
        var landed = await GetAsync(server, back, cookies);
        Assert.NotNull(landed);
        return landed;
    }

    /// <summary>One GET without following redirects; the Location it answered with.</summary>
    internal static async Task<string?> GetAsync(MailroomServer server, string url, IReadOnlyList<string> cookies)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies));
        }
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found, $"{(int)response.StatusCode} {url}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location?.ToString();
    }

    internal static async Task<(List<string> Cookies, HttpClient Api)> MemberAsync(MailroomServer server, string name = "Mia Member", string email = "mia@acme.test")
    {
        var (_, client) = await server.Http.AddMemberAsync(name, email, "Member");
        var signIn = await WebSignIn.PostAsync(server, email, "member-password");
        Assert.Equal(HttpStatusCode.Redirect, signIn.Status);
        return (signIn.SetCookies.Select(c => c.Split(';')[0]).ToList(), client);
    }
}
