using Mailroom.Workspaces;
using Microsoft.Extensions.Options;

namespace Mailroom.Plans;

/// <summary>
/// The one place that answers "does the workspace's plan allow this?". It reads the catalog
/// only (no plan name is compared anywhere), and every refusal names the cheapest plan, by
/// rank, that would allow it. Who the person is (role, custom permissions) is the
/// Permissions room's question; this is only the plan's.
/// </summary>
public sealed class PlanGates(IOptions<PlanCatalogOptions> catalog, WorkspaceService workspaces)
{
    public Task<Plan> CurrentPlanAsync(CancellationToken cancellationToken = default) => workspaces.CurrentPlanAsync(cancellationToken);

    public async Task<PlanDecision> MayAsync(PlanFeature feature, CancellationToken cancellationToken = default) =>
        May(await CurrentPlanAsync(cancellationToken), feature);

    public async Task RequireAsync(PlanFeature feature, CancellationToken cancellationToken = default) =>
        (await MayAsync(feature, cancellationToken)).ThrowIfRefused();

    public PlanDecision May(Plan plan, PlanFeature feature)
    {
        if (plan.Limits.Allows(feature))
        {
            return PlanDecision.Yes(plan);
        }
        var unlockedBy = Cheapest(l => l.Allows(feature));
        var what = PlanProblems.Describe(feature);
        var message = unlockedBy is null
            ? $"{plan.Name} does not include {what}, nor does any plan of this server."
            : $"{plan.Name} does not include {what}: it comes with {AndAbove(unlockedBy, l => l.Allows(feature))}. The workspace's owner can change the plan.";
        return new PlanDecision(false, plan, PlanProblems.LockedCode(feature), message, unlockedBy);
    }

    /// <summary>Whether one more email may leave, the workspace having sent <paramref name="usesSoFar"/> from tasks.</summary>
    public PlanDecision MaySend(Plan plan, int usesSoFar)
    {
        if (plan.Limits.EmailUses is not { } limit || usesSoFar < limit)
        {
            return PlanDecision.Yes(plan);
        }
        var unlockedBy = Cheapest(l => l.EmailUses is null || l.EmailUses > usesSoFar);
        var message = $"{plan.Name} includes {Count(limit, "email")} sent from tasks, and this workspace has sent {usesSoFar}."
            + (unlockedBy is null ? " No plan of this server allows more." : $" {unlockedBy.Name} {(unlockedBy.Limits.EmailUses is { } more ? $"includes {more}" : "has no limit")}: the workspace's owner can change the plan.");
        return new PlanDecision(false, plan, PlanProblems.EmailUsesReached, message, unlockedBy, limit);
    }

    /// <summary>
    /// Whether one more mailbox may be linked, the workspace having <paramref name="accountsSoFar"/>
    /// linked and <paramref name="extraSlots"/> bought slots beyond the plan's free accounts.
    /// </summary>
    public PlanDecision MayLinkAccount(Plan plan, int accountsSoFar, int extraSlots)
    {
        var limit = plan.Limits.FreeEmailAccounts + extraSlots;
        if (accountsSoFar < limit)
        {
            return PlanDecision.Yes(plan);
        }
        var wanted = accountsSoFar + 1;
        var including = Cheapest(l => l.FreeEmailAccounts >= wanted);
        var slots = Cheapest(l => l.ExtraAccountSlots);
        var message = $"{plan.Name} includes {Count(plan.Limits.FreeEmailAccounts, "email account")}"
            + (extraSlots > 0 ? $" and the workspace bought {Count(extraSlots, "extra slot")}" : "")
            + (limit == 1 ? ", and it is in use." : $"; all {limit} are in use.");
        if (plan.Limits.ExtraAccountSlots)
        {
            message += " An owner or admin can buy an extra slot on the Integrations page.";
        }
        else if (slots is not null)
        {
            message += $" On {AndAbove(slots, l => l.ExtraAccountSlots)} owners and admins can buy extra slots"
                + (including is not null && including != slots ? $"; {including.Name} includes {including.Limits.FreeEmailAccounts}." : ".");
        }
        else if (including is not null)
        {
            message += $" {including.Name} includes {including.Limits.FreeEmailAccounts}.";
        }
        return new PlanDecision(false, plan, PlanProblems.EmailAccountsReached, message, plan.Limits.ExtraAccountSlots ? null : slots ?? including, limit);
    }

    /// <summary>The smallest plan (by rank) whose limits satisfy <paramref name="allows"/>, or null when none does.</summary>
    public Plan? Cheapest(Func<PlanLimits, bool> allows) =>
        catalog.Value.Catalog.OrderBy(p => p.Rank).FirstOrDefault(p => allows(p.Limits));

    /// <summary>"Unlimited and above" when every larger plan allows it too, else just the plan's name.</summary>
    private string AndAbove(Plan plan, Func<PlanLimits, bool> allows)
    {
        var larger = catalog.Value.Catalog.Where(p => p.Rank > plan.Rank).ToList();
        return larger.Count > 0 && larger.All(p => allows(p.Limits)) ? $"{plan.Name} and above" : plan.Name;
    }

    private static string Count(long n, string thing) => n == 1 ? $"1 {thing}" : $"{n} {thing}s";
}
