using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>A group's members through the API: admins and managers add and remove them, members may leave, a group keeps a manager.</summary>
public class GroupMembershipApiTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record Place(Guid Id, string Name);
    private sealed record GroupMember(Guid UserId, string DisplayName, string Email, string Role, bool IsManager, bool Active);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Members_ManagersAddAndRemove_NonManagersAreRefused_AndLeavingTakesTheGroupAway(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var group = await server.Http.PostAsync<Place>("/api/groups", new { name = "Launch" });
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        var (max, maxClient) = await server.Http.AddMemberAsync("Max Member", "max@acme.test", "Member");
        var (gus, gusClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        using var _ = miaClient;
        using var __ = maxClient;
        using var ___ = gusClient;
        var members = $"/api/groups/{group.Id}/members";

        // Someone outside the group neither sees it nor adds to it.
        await ExpectAsync(await miaClient.PostAsJsonAsync(members, new { userId = max.Id, isManager = false }), HttpStatusCode.NotFound, "not_found");

        // The owner (an admin) makes Mia a manager; Mia, managing it, adds Max and the guest.
        await OkAsync(await server.Http.PostAsJsonAsync(members, new { userId = mia.Id, isManager = true }));
        await OkAsync(await miaClient.PostAsJsonAsync(members, new { userId = max.Id, isManager = false }));
        await OkAsync(await miaClient.PostAsJsonAsync(members, new { userId = gus.Id, isManager = false }));
        var list = await maxClient.GetAsync<List<GroupMember>>(members);
        Assert.Equal(["Mia Member", "Olivia Owner", "Gus Guest", "Max Member"], list.Select(m => m.DisplayName));
        Assert.Equal([true, true, false, false], list.Select(m => m.IsManager));
        Assert.Contains(await maxClient.GetAsync<List<Place>>("/api/groups"), g => g.Id == group.Id);

        // Max, a plain member, reads the list but changes nothing; a guest does not even get the list.
        await ExpectAsync(await maxClient.DeleteAsync($"{members}/{mia.Id}"), HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(await maxClient.PostAsJsonAsync(members, new { userId = gus.Id, isManager = true }), HttpStatusCode.Forbidden, "forbidden");
        await ExpectAsync(await gusClient.GetAsync(members), HttpStatusCode.Forbidden, "forbidden");
        // Guests read groups but never manage one.
        await ExpectAsync(await miaClient.PostAsJsonAsync(members, new { userId = gus.Id, isManager = true }), HttpStatusCode.BadRequest, "guest_cannot_manage");
        await ExpectAsync(await miaClient.DeleteAsync($"{members}/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not_found");

        // A manager removes Max: the group is gone from his list and its feed from his reach.
        await OkAsync(await miaClient.DeleteAsync($"{members}/{max.Id}"));
        Assert.DoesNotContain(await maxClient.GetAsync<List<Place>>("/api/groups"), g => g.Id == group.Id);
        await ExpectAsync(await maxClient.GetAsync($"/api/groups/{group.Id}/posts"), HttpStatusCode.NotFound, "not_found");

        // Anyone may leave: the guest does.
        await OkAsync(await gusClient.DeleteAsync($"{members}/{gus.Id}"));
        Assert.Equal(["Mia Member", "Olivia Owner"], (await server.Http.GetAsync<List<GroupMember>>(members)).Select(m => m.DisplayName));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Managers_TheLastOneCannotStepDownOrLeave_UntilAnotherIsMade(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var owner = await server.Http.GetAsync<Api.Member>("/api/me");
        var group = await server.Http.PostAsync<Place>("/api/groups", new { name = "Launch" });
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;
        var members = $"/api/groups/{group.Id}/members";

        await ExpectAsync(await server.Http.DeleteAsync($"{members}/{owner.Id}"), HttpStatusCode.Conflict, "last_manager");
        await ExpectAsync(await server.Http.PostAsJsonAsync(members, new { userId = owner.Id, isManager = false }), HttpStatusCode.Conflict, "last_manager");

        await OkAsync(await server.Http.PostAsJsonAsync(members, new { userId = mia.Id, isManager = true }));
        await OkAsync(await server.Http.PostAsJsonAsync(members, new { userId = owner.Id, isManager = false }));
        await ExpectAsync(await miaClient.PostAsJsonAsync(members, new { userId = mia.Id, isManager = false }), HttpStatusCode.Conflict, "last_manager");
        await ExpectAsync(await miaClient.DeleteAsync($"{members}/{mia.Id}"), HttpStatusCode.Conflict, "last_manager");

        var list = await server.Http.GetAsync<List<GroupMember>>(members);
        Assert.Equal("Mia Member", Assert.Single(list, m => m.IsManager).DisplayName);
        Assert.Equal(2, list.Count);
    }

    private static async Task OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            await Api.EnsureAsync(response);
        }
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(code, (await Api.ProblemAsync(response)).Code);
        }
    }
}
