using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Requests at the same instant get the answers they would one after another.</summary>
public class ConcurrencyTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TwentyConcurrentIntegrations_OnAPlanOfThree_EndWithExactlyThree(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var group = await server.Http.PostAsync<GroupBody>("/api/groups", new { name = "Inbox" });

        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, 20).Select(async i =>
        {
            await start.WaitAsync();
            using var response = await server.Http.PostAsJsonAsync("/api/integrations/email", new { title = $"Address {i}", groupId = group.Id });
            return (response.StatusCode, Code: response.IsSuccessStatusCode ? null : (await Api.ProblemAsync(response)).Code);
        }).ToList();
        start.Release(20);
        var answers = await Task.WhenAll(requests);

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.StatusCode);
            Assert.Equal("plan_limit_reached", a.Code);
        });
        var list = await server.Http.GetAsync<Api.IntegrationList>("/api/integrations/email");
        Assert.Equal(3, list.Active);
        Assert.Equal(3, list.Items.Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TenConcurrentSetups_MakeOneOwnerAndOneWorkspace(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);

        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, 10).Select(async i =>
        {
            await start.WaitAsync();
            using var response = await server.Http.PostAsJsonAsync("/api/setup",
                new { workspaceName = $"Workspace {i}", ownerName = $"Owner {i}", email = $"owner{i}@acme.test", password = "correct horse battery" });
            return (response.StatusCode, Token: response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<Api.SetupResponse>())!.Token : null,
                Code: response.IsSuccessStatusCode ? null : (await Api.ProblemAsync(response)).Code);
        }).ToList();
        start.Release(10);
        var answers = await Task.WhenAll(requests);

        var winner = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.StatusCode);
            Assert.Equal("setup_already_done", a.Code);
        });
        server.Http.DefaultRequestHeaders.Authorization = new("Bearer", winner.Token);
        var members = await server.Http.GetAsync<List<Api.Member>>("/api/members");
        Assert.Equal("Owner", Assert.Single(members).Role);
        var workspace = await server.Http.GetAsync<WorkspaceBody>("/api/workspace");
        Assert.StartsWith("Workspace ", workspace.Name);
    }

    private sealed record WorkspaceBody(Guid Id, string Name);
    private sealed record GroupBody(Guid Id, string Name);
}
