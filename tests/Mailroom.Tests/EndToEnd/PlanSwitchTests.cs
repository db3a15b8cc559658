using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Until plan changes go through billing, only the owner switches plan, and the operator can pin it.</summary>
public class PlanSwitchTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record WorkspaceBody(string PlanId, string PlanName, bool PlanPinned);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PlanSwitch_ByAnAdmin_IsRefusedOwnerOnly_ByTheOwnerIsDone(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, admin) = await server.Http.AddMemberAsync("Ada Admin", "ada@acme.test", "Admin");
        using var _ = admin;

        using (var refused = await admin.PutAsJsonAsync("/api/workspace/plan", new { planId = "enterprise" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("owner_only", (await Api.ProblemAsync(refused)).Code);
        }
        Assert.Equal("free", (await admin.GetAsync<WorkspaceBody>("/api/workspace")).PlanId);

        using (var switched = await server.Http.PutAsJsonAsync("/api/workspace/plan", new { planId = "business" }))
        {
            await Api.EnsureAsync(switched);
        }
        var workspace = await admin.GetAsync<WorkspaceBody>("/api/workspace");
        Assert.Equal(("business", false), (workspace.PlanId, workspace.PlanPinned));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PinnedPlan_IsTheWorkspacesPlan_AndNobodySwitchesIt(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database, new Dictionary<string, string> { ["Mailroom:Plans:Pinned"] = "unlimited" });
        await server.SetupAsync();

        var workspace = await server.Http.GetAsync<WorkspaceBody>("/api/workspace");
        Assert.Equal(("unlimited", "Unlimited", true), (workspace.PlanId, workspace.PlanName, workspace.PlanPinned));
        using (var refused = await server.Http.PutAsJsonAsync("/api/workspace/plan", new { planId = "enterprise" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("plan_pinned", (await Api.ProblemAsync(refused)).Code);
        }
        // The pinned plan's limits are the ones that count: ten integrations, not the free three.
        for (var i = 0; i < 4; i++)
        {
            await server.Http.AddIntegrationAsync($"Inbox {i}", newGroupName: $"Inbox {i}");
        }
        Assert.Equal("unlimited", (await server.Http.GetAsync<WorkspaceBody>("/api/workspace")).PlanId);
    }

    [Fact]
    public async Task PinnedPlan_NotInTheCatalog_StopsTheServerAtStartSayingWhich()
    {
        await using var server = new MailroomServer(Database.Sqlite, new Dictionary<string, string> { ["Mailroom:Plans:Pinned"] = "gold" });
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(server.StartAsync);
        Assert.Contains("Mailroom:Plans:Pinned is 'gold'", failure.Message);
        Assert.Contains("free, unlimited, business", failure.Message);
    }
}
