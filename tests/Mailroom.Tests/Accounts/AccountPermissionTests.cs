using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts;

/// <summary>Who sees and removes linked mailboxes: the member who linked one, owners and admins; never a guest.</summary>
public class AccountPermissionTests(MailServerFixture fixture) : IClassFixture<MailServerFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task MembersSeeAndRemoveOnlyTheirOwn_AdminsEvery_GuestsNothing(Database database)
    {
        await using var server = await AccountLinkingTests.StartAsync(database);
        await server.SetupAsync();
        // Two mailboxes: a plan that includes two.
        await server.UsePlanAsync("enterprise");
        var (_, adaClient) = await server.Http.AddMemberAsync("Ada Admin", "ada@acme.test", "Admin");
        var (_, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        var (_, maxClient) = await server.Http.AddMemberAsync("Max Member", "max@acme.test", "Member");
        var (_, gusClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        using var _a = adaClient;
        using var _m = miaClient;
        using var _x = maxClient;
        using var _g = gusClient;

        var mias = await miaClient.PostAsync<AccountLinkingTests.Account>("/api/accounts", fixture.Custom("mia", MailServerFixture.MiaPassword));
        var maxs = await maxClient.PostAsync<AccountLinkingTests.Account>("/api/accounts", fixture.Custom("max", MailServerFixture.MaxPassword));

        // A guest is refused every call, with one code, before anything connects.
        foreach (var call in new Func<Task<HttpResponseMessage>>[]
        {
            () => gusClient.GetAsync("/api/accounts"),
            () => gusClient.PostAsJsonAsync("/api/accounts", fixture.Custom("mia", MailServerFixture.MiaPassword)),
            () => gusClient.PostAsJsonAsync("/api/accounts/test", fixture.Custom("mia", MailServerFixture.MiaPassword)),
            () => gusClient.DeleteAsync($"/api/accounts/{mias.Id}"),
        })
        {
            using var response = await call();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("account_guest_refused", (await Api.ProblemAsync(response)).Code);
        }

        // Members see their own only, and cannot remove another's.
        Assert.Equal([mias.Id], (await miaClient.GetAsync<List<AccountLinkingTests.Account>>("/api/accounts")).Select(a => a.Id));
        Assert.Equal([maxs.Id], (await maxClient.GetAsync<List<AccountLinkingTests.Account>>("/api/accounts")).Select(a => a.Id));
        using (var notHers = await miaClient.DeleteAsync($"/api/accounts/{maxs.Id}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notHers.StatusCode);
            Assert.Equal("forbidden", (await Api.ProblemAsync(notHers)).Code);
        }

        // Owners and admins see every account, and remove any.
        Assert.Equal(2, (await server.Http.GetAsync<List<AccountLinkingTests.Account>>("/api/accounts")).Count);
        var seenByAdmin = await adaClient.GetAsync<List<AccountLinkingTests.Account>>("/api/accounts");
        Assert.Equal(["Max Member", "Mia Member"], seenByAdmin.Select(a => a.LinkedBy).Order());
        using (var removed = await adaClient.DeleteAsync($"/api/accounts/{maxs.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        Assert.Empty(await maxClient.GetAsync<List<AccountLinkingTests.Account>>("/api/accounts"));

        // The member who linked an account removes it.
        using (var own = await miaClient.DeleteAsync($"/api/accounts/{mias.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        }
        Assert.Empty(await server.Http.GetAsync<List<AccountLinkingTests.Account>>("/api/accounts"));
        using (var gone = await miaClient.DeleteAsync($"/api/accounts/{mias.Id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }
}
