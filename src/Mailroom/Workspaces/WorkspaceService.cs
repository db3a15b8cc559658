using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Plans;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Workspaces;

public sealed class WorkspaceService(MailroomDb db, IOptions<PlanCatalogOptions> plans)
{
    public async Task<Workspace> GetAsync(CancellationToken cancellationToken = default) =>
        await db.Workspaces.OrderBy(w => w.CreatedAt).FirstOrDefaultAsync(cancellationToken)
        ?? throw new AppProblem(StatusCodes.Status409Conflict, "setup_required", "This server is not set up yet: open the setup page or POST /api/setup.");

    public async Task<Plan> CurrentPlanAsync(CancellationToken cancellationToken = default) =>
        plans.Value.Resolve((await GetAsync(cancellationToken)).PlanId);

    public IReadOnlyList<Plan> Catalog => plans.Value.Catalog;

    /// <summary>Set when the operator's configuration fixes the plan: then nobody switches it here.</summary>
    public Plan? PinnedPlan => plans.Value.PinnedPlan;

    /// <summary>Whether this member may switch the plan: the owner, unless the operator pinned it.</summary>
    public bool MaySwitchPlan(User actor) => actor.Role == WorkspaceRole.Owner && PinnedPlan is null;

    public async Task<Workspace> SetIntegrationPermissionAsync(User actor, IntegrationPermission permission, CancellationToken cancellationToken = default)
    {
        actor.RequireAdmin();
        if (!Enum.IsDefined(permission))
        {
            throw AppProblem.Invalid("invalid_permission", "Choose adminsOnly, groupManagers or allMembers.");
        }
        var workspace = await GetAsync(cancellationToken);
        workspace.IntegrationPermission = permission;
        await db.SaveChangesAsync(cancellationToken);
        return workspace;
    }

    /// <summary>
    /// The owner switches plan, until plan changes go through billing: an admin could otherwise
    /// lift every limit with one click. A plan the operator pinned is switched by nobody.
    /// </summary>
    public async Task<Workspace> SwitchPlanAsync(User actor, string planId, CancellationToken cancellationToken = default)
    {
        if (PinnedPlan is { } pinned)
        {
            throw new AppProblem(StatusCodes.Status409Conflict, "plan_pinned", $"This server's configuration keeps the workspace on {pinned.Name}: the plan cannot be changed here.");
        }
        if (actor.Role != WorkspaceRole.Owner)
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, "owner_only", "Only the workspace's owner may change its plan.");
        }
        var plan = plans.Value.Find(planId) ?? throw AppProblem.Invalid("unknown_plan", $"There is no plan '{planId}'. Choose one of: {string.Join(", ", plans.Value.Catalog.Select(p => p.Id))}.");
        var workspace = await GetAsync(cancellationToken);
        workspace.PlanId = plan.Id;
        await db.SaveChangesAsync(cancellationToken);
        return workspace;
    }
}
