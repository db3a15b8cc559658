using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Members through the API: roles, who may change them, deactivation, and the owner the workspace always keeps.</summary>
public class MembersApiTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record MemberView(Guid Id, string DisplayName, string Email, string Role, bool Active, List<Place> Groups, List<Place> Spaces);
    private sealed record Place(Guid Id, string Name);
    private sealed record TokenBody(string Token);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RoleChange_AdminsManageNonOwners_OnlyOwnersTouchOwners_TheLastOwnerStays(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var owner = await server.Http.GetAsync<MemberView>("/api/me");
        var (ada, adaClient) = await server.Http.AddMemberAsync("Ada Admin", "ada@acme.test", "Admin");
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        var (gus, gusClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        using var _ = adaClient;
        using var __ = miaClient;
        using var ___ = gusClient;

        // An admin manages admins, members and guests.
        Assert.Equal("Admin", (await PatchAsync<MemberView>(adaClient, mia.Id, new { role = "Admin" })).Role);
        Assert.Equal("Member", (await PatchAsync<MemberView>(adaClient, mia.Id, new { role = "Member" })).Role);
        Assert.Equal("Member", (await PatchAsync<MemberView>(adaClient, gus.Id, new { role = "Member" })).Role);
        Assert.Equal("Guest", (await PatchAsync<MemberView>(adaClient, gus.Id, new { role = "Guest" })).Role);

        // ...but neither makes owners nor changes one.
        await ExpectProblemAsync(adaClient, mia.Id, new { role = "Owner" }, HttpStatusCode.Forbidden, "owner_only");
        await ExpectProblemAsync(adaClient, owner.Id, new { role = "Member" }, HttpStatusCode.Forbidden, "owner_only");
        await ExpectProblemAsync(adaClient, owner.Id, new { active = false }, HttpStatusCode.Forbidden, "owner_only");

        // Members and guests change nobody; guests do not even see the list.
        await ExpectProblemAsync(miaClient, gus.Id, new { role = "Member" }, HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(gusClient, gus.Id, new { role = "Admin" }, HttpStatusCode.Forbidden, "forbidden");
        using (var list = await gusClient.GetAsync("/api/members"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
            Assert.Equal("forbidden", (await Api.ProblemAsync(list)).Code);
        }

        // Nonsense is refused with its own code.
        await ExpectProblemAsync(server.Http, Guid.NewGuid(), new { role = "Admin" }, HttpStatusCode.NotFound, "not_found");
        await ExpectProblemAsync(server.Http, mia.Id, new { role = 7 }, HttpStatusCode.BadRequest, "invalid_role");
        await ExpectProblemAsync(server.Http, owner.Id, new { active = false }, HttpStatusCode.BadRequest, "cannot_deactivate_self");

        // The only owner cannot step down until there is another.
        await ExpectProblemAsync(server.Http, owner.Id, new { role = "Admin" }, HttpStatusCode.Conflict, "last_owner");
        Assert.Equal("Owner", (await PatchAsync<MemberView>(server.Http, ada.Id, new { role = "Owner" })).Role);
        Assert.Equal("Admin", (await PatchAsync<MemberView>(server.Http, owner.Id, new { role = "Admin" })).Role);
        await ExpectProblemAsync(server.Http, ada.Id, new { role = "Member" }, HttpStatusCode.Forbidden, "owner_only");
        await ExpectProblemAsync(adaClient, ada.Id, new { role = "Admin" }, HttpStatusCode.Conflict, "last_owner");

        var members = await server.Http.GetAsync<List<MemberView>>("/api/members");
        Assert.Equal("Ada Admin", Assert.Single(members, m => m.Role == "Owner").DisplayName);
        Assert.Equal("Admin", (await server.Http.GetAsync<MemberView>("/api/me")).Role);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Deactivation_EndsTokensAndSignIn_KeepsThePosts_ReactivationLetsThemBackIn(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var group = await server.Http.PostAsync<Place>("/api/groups", new { name = "Launch" });
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;
        using (var join = await server.Http.PostAsJsonAsync($"/api/groups/{group.Id}/members", new { userId = mia.Id, isManager = false }))
        {
            await Api.EnsureAsync(join);
        }
        var post = await miaClient.PostAsync<Api.Post>($"/api/groups/{group.Id}/posts", new { title = "Hello", body = "First!" });
        Assert.Equal([group.Id], (await server.Http.GetAsync<List<MemberView>>("/api/members")).Single(m => m.Id == mia.Id).Groups.Select(g => g.Id));

        var deactivated = await PatchAsync<MemberView>(server.Http, mia.Id, new { active = false });
        Assert.False(deactivated.Active);
        Assert.Equal("Member", deactivated.Role);

        // Her token stops at once, and no new one is issued.
        using (var me = await miaClient.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }
        using (var token = await server.Http.PostAsJsonAsync("/api/auth/token", new { email = "mia@acme.test", password = "member-password" }))
        {
            Assert.Equal((HttpStatusCode)423, token.StatusCode);
            Assert.Equal("account_deactivated", (await Api.ProblemAsync(token)).Code);
        }

        // What she wrote stays, with her name.
        var kept = Assert.Single(await server.Http.FeedAsync(group.Id));
        Assert.Equal(post.Id, kept.Id);
        Assert.Equal("Mia Member", kept.Author);
        Assert.False((await server.Http.GetAsync<List<MemberView>>("/api/members")).Single(m => m.Id == mia.Id).Active);

        // Mail from her address no longer acts as her: the task is an outside sender's.
        var (_, list) = await server.Http.SpaceWithListAsync();
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(list.Address!, "Still here", from: "mia@acme.test", fromName: "Mia Member"));
        await server.Http.WaitUntilProcessedAsync();
        var task = Assert.Single(await server.Http.TasksAsync(list.Id));
        Assert.Null(task.CreatedByUserId);
        Assert.Equal("mia@acme.test", task.CreatedBy);

        // Reactivated, she signs in again; the old token stays revoked.
        Assert.True((await PatchAsync<MemberView>(server.Http, mia.Id, new { active = true })).Active);
        var fresh = await server.Http.PostAsync<TokenBody>("/api/auth/token", new { email = "mia@acme.test", password = "member-password" });
        Assert.StartsWith("mr_", fresh.Token);
        using (var old = await miaClient.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TwoOwners_SteppingDownAtTheSameMoment_LeaveOneOwner(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        for (var round = 0; round < 4; round++)
        {
            var (other, otherClient) = await server.Http.AddMemberAsync($"Owen {round}", $"owen{round}@acme.test", "Admin");
            using var _ = otherClient;
            await PatchAsync<MemberView>(server.Http, other.Id, new { role = "Owner" });
            var me = await server.Http.GetAsync<MemberView>("/api/me");

            var results = await Task.WhenAll(
                server.Http.PatchAsJsonAsync($"/api/members/{me.Id}", new { role = "Admin" }),
                otherClient.PatchAsJsonAsync($"/api/members/{other.Id}", new { role = "Admin" }));

            var owners = (await otherClient.GetAsync<List<MemberView>>("/api/members")).Where(m => m.Role == "Owner" && m.Active).ToList();
            Assert.Single(owners);
            var refused = Assert.Single(results, r => !r.IsSuccessStatusCode);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains((await Api.ProblemAsync(refused)).Code, new[] { "last_owner", "concurrent_change" });
            foreach (var result in results)
            {
                result.Dispose();
            }

            // Whoever is still owner, the next round starts with the setup account as the only one.
            if (owners[0].Id == other.Id)
            {
                await PatchAsync<MemberView>(otherClient, me.Id, new { role = "Owner" });
                await PatchAsync<MemberView>(otherClient, other.Id, new { role = "Admin" });
            }
        }
    }

    private static async Task<T> PatchAsync<T>(HttpClient client, Guid memberId, object body)
    {
        using var response = await client.PatchAsJsonAsync($"/api/members/{memberId}", body);
        await Api.EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private static async Task ExpectProblemAsync(HttpClient client, Guid memberId, object body, HttpStatusCode status, string code)
    {
        using var response = await client.PatchAsJsonAsync($"/api/members/{memberId}", body);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await Api.ProblemAsync(response)).Code);
    }
}
