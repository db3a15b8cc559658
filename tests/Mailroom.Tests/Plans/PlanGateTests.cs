using Mailroom.Plans;
using Mailroom.Storage;
using Mailroom.Tests.Infrastructure;
using Mailroom.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Tests.Plans;

/// <summary>The shipped catalog (the app's own appsettings.json), plan by plan, through the gates every feature asks.</summary>
public class PlanGateTests
{
    /// <summary>
    /// One row per plan: may it send the 101st email, schedule, use signatures and templates, turn
    /// the watermark off, define custom roles, link a 2nd and a 3rd account (no slot bought), buy slots.
    /// </summary>
    public static TheoryData<string, bool, bool, bool, bool, bool, bool, bool, bool, bool> Catalog => new()
    {
        //                send101 schedule signature template watermarkOff customRole account2 account3 buySlots
        { "free",          false,  false,   false,    false,   false,       false,     false,   false,   false },
        { "unlimited",     true,   true,    false,    false,   false,       false,     false,   false,   true },
        { "business",      true,   true,    true,     true,    true,        false,     true,    false,   true },
        { "business-plus", true,   true,    true,     true,    true,        true,      true,    false,   true },
        { "enterprise",    true,   true,    true,     true,    true,        true,      true,    false,   true },
    };

    [Theory]
    [MemberData(nameof(Catalog))]
    public void ShippedCatalog_AllowsWhatTheProductSays(string planId, bool send101, bool schedule, bool signature, bool template,
        bool watermarkOff, bool customRole, bool account2, bool account3, bool buySlots)
    {
        using var services = Services();
        using var scope = services.CreateScope();
        var gates = scope.ServiceProvider.GetRequiredService<PlanGates>();
        var plan = Plan(scope, planId);

        Assert.True(gates.MaySend(plan, usesSoFar: 99).Allowed, "the 100th email");
        Assert.Equal(send101, gates.MaySend(plan, usesSoFar: 100).Allowed);
        Assert.Equal(schedule, gates.May(plan, PlanFeature.Scheduling).Allowed);
        Assert.Equal(signature, gates.May(plan, PlanFeature.Signatures).Allowed);
        Assert.Equal(template, gates.May(plan, PlanFeature.Templates).Allowed);
        Assert.Equal(watermarkOff, gates.May(plan, PlanFeature.WatermarkRemoval).Allowed);
        Assert.Equal(customRole, gates.May(plan, PlanFeature.CustomPermissions).Allowed);
        Assert.True(gates.MayLinkAccount(plan, accountsSoFar: 0, extraSlots: 0).Allowed, "the 1st account");
        Assert.Equal(account2, gates.MayLinkAccount(plan, accountsSoFar: 1, extraSlots: 0).Allowed);
        Assert.Equal(account3, gates.MayLinkAccount(plan, accountsSoFar: 2, extraSlots: 0).Allowed);
        // A bought slot makes room for one more account, whatever the plan.
        Assert.True(gates.MayLinkAccount(plan, accountsSoFar: plan.Limits.FreeEmailAccounts, extraSlots: 1).Allowed);
        Assert.Equal(buySlots, gates.May(plan, PlanFeature.ExtraAccountSlots).Allowed);
        Assert.Equal(100, plan.Limits.ContactsPerAccount);
    }

    /// <summary>Each refusal of the free plan names the cheapest plan that unlocks it, with its stable code.</summary>
    [Theory]
    [InlineData(PlanFeature.Scheduling, PlanProblems.SchedulingLocked, "unlimited", "Free Forever does not include scheduling emails: it comes with Unlimited and above.")]
    [InlineData(PlanFeature.Signatures, PlanProblems.SignaturesLocked, "business", "Free Forever does not include email signatures: it comes with Business and above.")]
    [InlineData(PlanFeature.Templates, PlanProblems.TemplatesLocked, "business", "Free Forever does not include email templates: it comes with Business and above.")]
    [InlineData(PlanFeature.WatermarkRemoval, PlanProblems.WatermarkLocked, "business", "it comes with Business and above")]
    [InlineData(PlanFeature.CustomPermissions, PlanProblems.CustomPermissionsLocked, "business-plus", "it comes with Business Plus and above")]
    [InlineData(PlanFeature.ExtraAccountSlots, PlanProblems.ExtraSlotsLocked, "unlimited", "it comes with Unlimited and above")]
    public void FreePlan_Refusal_NamesTheCheapestPlanThatUnlocksIt(PlanFeature feature, string code, string unlockedBy, string sentence)
    {
        using var services = Services();
        using var scope = services.CreateScope();
        var problem = scope.ServiceProvider.GetRequiredService<PlanGates>().May(Plan(scope, "free"), feature).ToProblem();

        Assert.Equal(code, problem.Code);
        Assert.Equal(403, problem.Status);
        Assert.Contains(sentence, problem.Message);
        Assert.Equal(unlockedBy, problem.Details["unlockedBy"]);
        Assert.Equal("free", problem.Details["plan"]);
    }

    [Fact]
    public void FreePlan_101stSend_IsRefusedWithTheLimitAndTheWayUp()
    {
        using var services = Services();
        using var scope = services.CreateScope();
        var problem = scope.ServiceProvider.GetRequiredService<PlanGates>().MaySend(Plan(scope, "free"), usesSoFar: 100).ToProblem();

        Assert.Equal((PlanProblems.EmailUsesReached, 409), (problem.Code, problem.Status));
        Assert.Equal(100L, problem.Details["limit"]);
        Assert.Equal("unlimited", problem.Details["unlockedBy"]);
        Assert.Equal("Free Forever includes 100 emails sent from tasks, and this workspace has sent 100. Unlimited has no limit: the workspace's owner can change the plan.", problem.Message);
    }

    [Fact]
    public void SecondAccount_OnFree_PointsAtBuyingSlots_OnUnlimited_AtTheIntegrationsPage()
    {
        using var services = Services();
        using var scope = services.CreateScope();
        var gates = scope.ServiceProvider.GetRequiredService<PlanGates>();

        var free = gates.MayLinkAccount(Plan(scope, "free"), accountsSoFar: 1, extraSlots: 0);
        Assert.Equal(PlanProblems.EmailAccountsReached, free.Code);
        Assert.Equal("Free Forever includes 1 email account, and it is in use. On Unlimited and above owners and admins can buy extra slots; Business includes 2.", free.Message);
        Assert.Equal("unlimited", free.UnlockedBy?.Id);

        var unlimited = gates.MayLinkAccount(Plan(scope, "unlimited"), accountsSoFar: 2, extraSlots: 1);
        Assert.Equal("Unlimited includes 1 email account and the workspace bought 1 extra slot; all 2 are in use. An owner or admin can buy an extra slot on the Integrations page.", unlimited.Message);
    }

    [Theory]
    [InlineData("Mailroom:Plans:Catalog:0:Limits:EmailUses", "-5", "Mailroom:Plans:Catalog:0:Limits:EmailUses is -5 (plan 'free')")]
    [InlineData("Mailroom:Plans:Catalog:2:Limits:ExtraSlotYearlyCents", "-2400", "Mailroom:Plans:Catalog:2:Limits:ExtraSlotYearlyCents is -2400 (plan 'business')")]
    [InlineData("Mailroom:Plans:DefaultPlan", "gold", "Mailroom:Plans needs a catalog that contains its DefaultPlan ('gold')")]
    public async Task BadCatalog_StopsTheServerAtStart_NamingTheSetting(string key, string value, string message)
    {
        await using var server = new MailroomServer(Database.Sqlite, new Dictionary<string, string> { [key] = value });
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(server.StartAsync);
        Assert.Contains(message, failure.Message);
    }

    private static Plan Plan(IServiceScope scope, string id) =>
        scope.ServiceProvider.GetRequiredService<WorkspaceService>().Catalog.Single(p => p.Id == id);

    /// <summary>The app's services on its shipped appsettings.json (the database is never opened here).</summary>
    private static ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json")
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Mailroom:DataDirectory"] = Path.Combine(Path.GetTempPath(), "mailroom-plans-unused") })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddStorage(configuration);
        services.AddWorkspaces();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });
    }
}
