using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>The owner changes the plan through billing (with a payment processor); without one, or pinned, the operator's configuration sets it.</summary>
public class PlanSwitchTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record WorkspaceBody(string PlanId, string PlanName, bool PlanPinned);

    private sealed record Quote(bool IsUpgrade, long AmountCents, string Arithmetic);
    private sealed record Changed(string PlanId, string? PendingPlanId);
    private sealed record Setup(string SessionId, string Url);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task WithoutAPaymentProcessor_TheConfigurationSetsThePlan_AndNobodySwitchesIt(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();

        foreach (var refused in new[] { await server.Http.PutAsJsonAsync("/api/workspace/plan", new { planId = "enterprise" }), await ChangeAsync(server.Http, "enterprise", "k-1") })
        {
            using var _ = refused;
            var problem = await Api.ProblemAsync(refused);
            Assert.Equal((HttpStatusCode.Conflict, "plan_set_by_configuration"), (refused.StatusCode, problem.Code));
            Assert.Contains("Mailroom:Plans:Pinned", problem.Detail);
        }
        Assert.Equal("free", (await server.Http.GetAsync<WorkspaceBody>("/api/workspace")).PlanId);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task WithStripe_OnlyTheOwnerChangesThePlan_ThroughBilling_AnUpgradeChargedAtOnce(Database database)
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var server = await MailroomServer.StartAsync(database, stripe.Settings());
        await server.SetupAsync();
        var (_, admin) = await server.Http.AddMemberAsync("Ada Admin", "ada@acme.test", "Admin");
        using var _a = admin;

        using (var refused = await ChangeAsync(admin, "enterprise", "k-1"))
        {
            Assert.Equal((HttpStatusCode.Forbidden, "owner_only"), (refused.StatusCode, (await Api.ProblemAsync(refused)).Code));
        }
        using (var old = await server.Http.PutAsJsonAsync("/api/workspace/plan", new { planId = "business" }))
        {
            Assert.Equal((HttpStatusCode.Conflict, "plan_changes_through_billing"), (old.StatusCode, (await Api.ProblemAsync(old)).Code));
        }
        using (var noCard = await ChangeAsync(server.Http, "business", "k-2"))
        {
            Assert.Equal((HttpStatusCode.Conflict, "billing_no_card"), (noCard.StatusCode, (await Api.ProblemAsync(noCard)).Code));
        }
        Assert.Equal("free", (await admin.GetAsync<WorkspaceBody>("/api/workspace")).PlanId);

        var setup = await server.Http.PostAsync<Setup>("/api/billing/card/setup", new { });
        using (var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        using (var _ = await browser.PostAsync(setup.Url, new FormUrlEncodedContent(new Dictionary<string, string> { ["card"] = "4242424242424242" })))
        {
        }
        await server.Http.PostAsync<object>("/api/billing/card", new { sessionId = setup.SessionId });
        var quote = await server.Http.GetAsync<Quote>("/api/billing/plan/quote?planId=business");
        Assert.True(quote.IsUpgrade && quote.AmountCents > 0, quote.Arithmetic);

        using (var upgraded = await ChangeAsync(server.Http, "business", "k-3"))
        {
            await Api.EnsureAsync(upgraded);
            Assert.Equal(new Changed("business", null), await upgraded.Content.ReadFromJsonAsync<Changed>());
        }
        Assert.Equal(quote.AmountCents, Assert.Single(stripe.Charges).Amount);
        var workspace = await admin.GetAsync<WorkspaceBody>("/api/workspace");
        Assert.Equal(("business", false), (workspace.PlanId, workspace.PlanPinned));
    }

    private static Task<HttpResponseMessage> ChangeAsync(HttpClient http, string planId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/plan") { Content = JsonContent.Create(new { planId }) };
        request.Headers.Add("Idempotency-Key", key);
        return http.SendAsync(request);
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
