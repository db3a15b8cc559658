using System.Net.Http.Json;
using Mailroom.Tests.Accounts;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Permissions;

/// <summary>
/// "Add email accounts" on the way back from the provider (B18), against the provider stand-in and
/// a Dovecot that checks its tokens: a permission taken away while the member was signing in at the
/// provider links nothing, and the page says why.
/// </summary>
public class EmailRolePermissionOAuthTests(OAuthFixture fixture) : IClassFixture<OAuthFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record Account(Guid Id, string Email);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddTakenAwayDuringTheProvidersSignIn_TheCallbackLinksNothing_AndSaysWhy(Database database)
    {
        var settings = fixture.Provider.Settings("Google", fixture.Mail);
        settings["Mailroom:Accounts:AllowPrivateHosts"] = "true";
        await using var server = await MailroomServer.StartAsync(database, settings);
        await server.SetupAsync();
        await server.UsePlanAsync("business-plus");
        var (cookies, mia) = await OAuthAccountTests.MemberAsync(server);
        using var _ = mia;

        // Allowed when she starts...
        var toProvider = await OAuthAccountTests.GetAsync(server, "/settings/email-accounts/oauth/google/start", cookies);
        Assert.NotNull(toProvider);
        // ...taken away before she comes back.
        using (var off = await server.Http.PutAsJsonAsync("/api/workspace/email-permissions", new { member = new { addAccounts = false } }))
        {
            await Api.EnsureAsync(off);
        }
        var back = await OAuthAccountTests.GetAsync(server, toProvider, []);
        var landed = await OAuthAccountTests.GetAsync(server, back!, cookies);
        Assert.Equal("/settings/email-accounts?problem=account_add_not_allowed", landed);
        Assert.Empty(await mia.GetAsync<List<Account>>("/api/accounts"));
        var page = await WebSignIn.PageAsync(server, landed!, cookies);
        Assert.Contains("Not linked (account_add_not_allowed)", page);
        Assert.Contains("Your role does not have the \"Add email accounts\" permission, so nothing was linked.", page);

        // Given back, the same flow links the mailbox.
        using (var on = await server.Http.PutAsJsonAsync("/api/workspace/email-permissions", new { member = new { addAccounts = true } }))
        {
            await Api.EnsureAsync(on);
        }
        landed = await OAuthAccountTests.FollowFlowAsync(server, "google", cookies);
        Assert.StartsWith("/settings/email-accounts?linked=", landed);
        Assert.Equal(["mia@mail.test"], (await mia.GetAsync<List<Account>>("/api/accounts")).Select(a => a.Email));
    }
}
