using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Personal API tokens: each member's own, named, listed, revoked, and ending when they say.</summary>
public class ApiTokensTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record NewToken(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Token);
    private sealed record TokenView(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, bool Expired);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Tokens_AreNamedListedAndRevokedByTheirOwner_TheSecretIsShownOnce(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        var setupToken = await server.SetupAsync();
        var (_, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;

        var expiry = DateTimeOffset.UtcNow.AddDays(30);
        using var created = await server.Http.PostAsJsonAsync("/api/auth/tokens", new { name = "CI deploys", expiresAt = expiry });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ci = (await created.Content.ReadFromJsonAsync<NewToken>())!;
        Assert.Equal("CI deploys", ci.Name);
        Assert.StartsWith("mr_", ci.Token);
        Assert.Equal(expiry.ToUnixTimeSeconds(), ci.ExpiresAt!.Value.ToUnixTimeSeconds());

        using var ciClient = Client(server, ci.Token);
        await Api.EnsureAsync(await ciClient.GetAsync("/api/me"));

        // The list names every token of its owner, and never shows a secret or a hash.
        var raw = await server.Http.GetStringAsync("/api/auth/tokens");
        Assert.DoesNotContain(ci.Token, raw);
        Assert.DoesNotContain(setupToken, raw);
        Assert.DoesNotContain("hash", raw, StringComparison.OrdinalIgnoreCase);
        var mine = await server.Http.GetAsync<List<TokenView>>("/api/auth/tokens");
        Assert.Equal(["Created at setup", "CI deploys"], mine.Select(t => t.Name));
        Assert.All(mine, t => Assert.False(t.Expired));

        // Another member neither sees nor revokes it.
        Assert.DoesNotContain(await miaClient.GetAsync<List<TokenView>>("/api/auth/tokens"), t => t.Id == ci.Id);
        using (var foreign = await miaClient.DeleteAsync($"/api/auth/tokens/{ci.Id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }
        await Api.EnsureAsync(await ciClient.GetAsync("/api/me"));

        using (var revoked = await server.Http.DeleteAsync($"/api/auth/tokens/{ci.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }
        using (var after = await ciClient.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }
        Assert.Equal(["Created at setup"], (await server.Http.GetAsync<List<TokenView>>("/api/auth/tokens")).Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ExpiredToken_Gets401_AndAnExpiryInThePastIsRefused(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();

        using (var past = await server.Http.PostAsJsonAsync("/api/auth/tokens", new { name = "Yesterday", expiresAt = DateTimeOffset.UtcNow.AddDays(-1) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
            Assert.Equal("invalid_expiry", (await Api.ProblemAsync(past)).Code);
        }

        var brief = await server.Http.PostAsync<NewToken>("/api/auth/tokens", new { name = "Brief", expiresAt = DateTimeOffset.UtcNow.AddSeconds(3) });
        using var client = Client(server, brief.Token);
        await Api.EnsureAsync(await client.GetAsync("/api/me"));

        await Task.Delay(TimeSpan.FromSeconds(4));
        using (var expired = await client.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        }
        Assert.True(Assert.Single(await server.Http.GetAsync<List<TokenView>>("/api/auth/tokens"), t => t.Id == brief.Id).Expired);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task WrongPasswordLockout_LeavesTheMembersTokensWorking(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        // Anyone who knows Mia's email can lock her out of signing in for a while, but a guess never
        // learns more than "wrong email or password", as for an address nobody has...
        for (var i = 0; i < 6; i++)
        {
            using var attempt = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = "mia@acme.test", password = "guessing " + i });
            Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
            Assert.Equal("invalid_credentials", (await Api.ProblemAsync(attempt)).Code);
        }
        // ...only her own password tells her the account is locked.
        using (var right = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = "mia@acme.test", password = "member-password" }))
        {
            Assert.Equal((HttpStatusCode)423, right.StatusCode);
            Assert.Equal("locked_out", (await Api.ProblemAsync(right)).Code);
        }

        // ...but not switch off what her tokens run.
        var me = await miaClient.GetAsync<Api.Member>("/api/me");
        Assert.Equal("Mia Member", me.DisplayName);
    }

    private static HttpClient Client(MailroomServer server, string token)
    {
        var client = new HttpClient { BaseAddress = server.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
