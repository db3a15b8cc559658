using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Accounts;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Permissions;

/// <summary>
/// Lending a mailbox (B6, B7), against a real Dovecot: only the member who linked it grants and
/// revokes; a granted member may send from it (the From field lists it, the send check passes);
/// everyone else gets ACCESS_137, guests are refused outright, and owners/admins may remove but not lend.
/// </summary>
public class AccountGrantTests(MailServerFixture fixture) : IClassFixture<MailServerFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record Grant(Guid AccountId, Guid UserId, string DisplayName, string? Email, Guid GrantedBy);
    private sealed record Sendable(Guid Id, Guid UserId, string LinkedBy, string Email, string? SendAsName);
    private sealed record Preset(string Provider, bool ForcesDisplayName, string? DisplayNameNote);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task OnlyTheLinkerGrants_AGrantedMemberMaySend_UntilRevoked_OthersGetAccess137(Database database)
    {
        await using var server = await AccountLinkingTests.StartAsync(database);
        await server.SetupAsync();
        var (ada, adaClient) = await server.Http.AddMemberAsync("Ada Admin", "ada@acme.test", "Admin");
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        var (max, maxClient) = await server.Http.AddMemberAsync("Max Member", "max@acme.test", "Member");
        var (gus, gusClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        using var _a = adaClient;
        using var _m = miaClient;
        using var _x = maxClient;
        using var _g = gusClient;
        var account = await miaClient.PostAsync<AccountLinkingTests.Account>("/api/accounts", fixture.Custom("mia", MailServerFixture.MiaPassword, sendAsName: "Mia"));
        var grants = $"/api/accounts/{account.Id}/grants";

        // Without a grant Max may not send from Mia's mailbox, nor see or change who may.
        await AssertAccess137Async(maxClient.GetAsync($"/api/accounts/sendable/{account.Id}"));
        Assert.Empty(await maxClient.GetAsync<List<Sendable>>("/api/accounts/sendable"));
        await AssertAccess137Async(maxClient.GetAsync(grants));
        await AssertAccess137Async(maxClient.PostAsJsonAsync(grants, new { userId = max.Id }));
        // An admin may remove the account but not lend it out, and is told so.
        var adminRefusal = await AssertAccess137Async(adaClient.PostAsJsonAsync(grants, new { userId = max.Id }));
        Assert.Contains("Owners and admins may remove the account, but only the member who linked it decides who sends from it.", adminRefusal.Detail);
        await AssertAccess137Async(server.Http.GetAsync(grants));
        // An account id that does not exist answers the same: nobody probes others' mailboxes.
        await AssertAccess137Async(maxClient.GetAsync($"/api/accounts/{Guid.NewGuid()}/grants"));

        // Guests can be given nothing, and can do nothing with grants.
        using (var toGuest = await miaClient.PostAsJsonAsync(grants, new { userId = gus.Id }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, toGuest.StatusCode);
            var problem = await Api.ProblemAsync(toGuest);
            Assert.Equal("grant_guest_refused", problem.Code);
            Assert.Contains("Gus Guest is a guest", problem.Detail);
        }
        foreach (var call in new Func<Task<HttpResponseMessage>>[]
        {
            () => gusClient.GetAsync(grants),
            () => gusClient.PostAsJsonAsync(grants, new { userId = gus.Id }),
            () => gusClient.DeleteAsync($"{grants}/{max.Id}"),
            () => gusClient.GetAsync("/api/accounts/sendable"),
            () => gusClient.GetAsync($"/api/accounts/sendable/{account.Id}"),
        })
        {
            using var response = await call();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("account_guest_refused", (await Api.ProblemAsync(response)).Code);
        }

        // Mia grants Max: he may send from it, and his From field lists it under Mia's name.
        var granted = await miaClient.PostAsync<Grant>(grants, new { userId = max.Id });
        Assert.Equal((account.Id, max.Id, "Max Member", mia.Id), (granted.AccountId, granted.UserId, granted.DisplayName, granted.GrantedBy));
        Assert.Equal(granted, await miaClient.PostAsync<Grant>(grants, new { userId = max.Id }));
        Assert.Equal([max.Id], (await miaClient.GetAsync<List<Grant>>(grants)).Select(g => g.UserId));
        var sendable = Assert.Single(await maxClient.GetAsync<List<Sendable>>("/api/accounts/sendable"));
        Assert.Equal((account.Id, mia.Id, "Mia Member", "mia@mail.test", "Mia"), (sendable.Id, sendable.UserId, sendable.LinkedBy, sendable.Email, sendable.SendAsName));
        Assert.Equal(account.Id, (await maxClient.GetAsync<Sendable>($"/api/accounts/sendable/{account.Id}")).Id);
        // Mia still sends from her own; Ada, not granted, still may not.
        Assert.Equal([account.Id], (await miaClient.GetAsync<List<Sendable>>("/api/accounts/sendable")).Select(a => a.Id));
        await AssertAccess137Async(adaClient.GetAsync($"/api/accounts/sendable/{account.Id}"));
        // Being granted does not make Max the linker: he cannot lend it on, nor rename it.
        await AssertAccess137Async(maxClient.PostAsJsonAsync(grants, new { userId = ada.Id }));
        await AssertAccess137Async(maxClient.PatchAsJsonAsync($"/api/accounts/{account.Id}", new { sendAsName = "Max" }));

        // Revoked: ACCESS_137 again, and the From field no longer offers it.
        using (var revoked = await miaClient.DeleteAsync($"{grants}/{max.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }
        await AssertAccess137Async(maxClient.GetAsync($"/api/accounts/sendable/{account.Id}"));
        Assert.Empty(await maxClient.GetAsync<List<Sendable>>("/api/accounts/sendable"));
        Assert.Empty(await miaClient.GetAsync<List<Grant>>(grants));
        using (var again = await miaClient.DeleteAsync($"{grants}/{max.Id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        // A removed account takes its grants with it.
        await miaClient.PostAsync<Grant>(grants, new { userId = max.Id });
        using (var removed = await adaClient.DeleteAsync($"/api/accounts/{account.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        Assert.Empty(await maxClient.GetAsync<List<Sendable>>("/api/accounts/sendable"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task SendAsName_IsTheLinkersToChange_AndOutlooksPresetSaysItReplacesIt(Database database)
    {
        await using var server = await AccountLinkingTests.StartAsync(database);
        await server.SetupAsync();
        var (_, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _m = miaClient;
        var account = await miaClient.PostAsync<AccountLinkingTests.Account>("/api/accounts", fixture.Custom("mia", MailServerFixture.MiaPassword));
        Assert.Null(account.SendAsName);

        using (var renamed = await miaClient.PatchAsJsonAsync($"/api/accounts/{account.Id}", new { sendAsName = "  Mia from Acme " }))
        {
            await Api.EnsureAsync(renamed);
        }
        Assert.Equal("Mia from Acme", (await miaClient.GetAsync<List<Sendable>>("/api/accounts/sendable")).Single().SendAsName);
        using (var tooLong = await miaClient.PatchAsJsonAsync($"/api/accounts/{account.Id}", new { sendAsName = new string('x', 201) }))
        {
            Assert.Equal("invalid_send_as_name", (await Api.ProblemAsync(tooLong)).Code);
        }
        // The owner may remove it, but the name people see in Mia's From is Mia's to choose.
        await AssertAccess137Async(server.Http.PatchAsJsonAsync($"/api/accounts/{account.Id}", new { sendAsName = "Acme" }));
        using (var cleared = await miaClient.PatchAsJsonAsync($"/api/accounts/{account.Id}", new { sendAsName = "" }))
        {
            await Api.EnsureAsync(cleared);
        }
        Assert.Null((await miaClient.GetAsync<List<Sendable>>("/api/accounts/sendable")).Single().SendAsName);

        var presets = await miaClient.GetAsync<List<Preset>>("/api/accounts/providers");
        Assert.Equal(["Outlook"], presets.Where(p => p.ForcesDisplayName).Select(p => p.Provider));
        Assert.Contains("mailbox's own display name", presets.Single(p => p.Provider == "Outlook").DisplayNameNote);
        Assert.Contains("Send mail as", presets.Single(p => p.Provider == "Gmail").DisplayNameNote);
    }

    private static async Task<Api.Problem> AssertAccess137Async(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Api.ProblemAsync(response);
        Assert.Equal("ACCESS_137", problem.Code);
        Assert.StartsWith("You do not have permission to send from this email address.", problem.Detail);
        return problem;
    }
}
