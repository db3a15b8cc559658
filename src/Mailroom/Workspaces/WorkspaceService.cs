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

    /// <summary>Set when the operator's configuration fixes the plan: then nobody changes it (plan changes are billing's: <c>PlanChanges</c>).</summary>
    public Plan? PinnedPlan => plans.Value.PinnedPlan;

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
}
