using Mailroom.Hosting;
using Mailroom.People;

namespace Mailroom.Permissions;

/// <summary>Who sees and spends the workspace's money: its owners and admins, decided here only.</summary>
public sealed class BillingPermissions
{
    public const string OwnerOrAdminOnlyCode = "billing_owner_or_admin_only";

    public bool MayManageBilling(User actor) => actor.IsAdmin && !actor.IsDeactivated;

    public const string OwnerOnlyCode = "owner_only";

    /// <summary>The plan is the owner's to change (an admin could otherwise spend on an upgrade, or lift every limit).</summary>
    public bool MayChangePlan(User actor) => actor.Role == WorkspaceRole.Owner && !actor.IsDeactivated;

    public void RequireMayChangePlan(User actor)
    {
        if (!MayChangePlan(actor))
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, OwnerOnlyCode, "Only the workspace's owner may change its plan: ask them.");
        }
    }

    /// <summary>How often the workspace pays is the owner's, as its plan: it decides what the card is charged at each renewal.</summary>
    public bool MayChangeCycle(User actor) => MayChangePlan(actor);

    public void RequireMayChangeCycle(User actor)
    {
        if (!MayChangeCycle(actor))
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, OwnerOnlyCode, "Only the workspace's owner may change how often it pays (monthly or yearly): ask them.");
        }
    }

    public void RequireMayManageBilling(User actor)
    {
        if (!MayManageBilling(actor))
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, OwnerOrAdminOnlyCode,
                "Only the workspace's owners and admins see its billing and buy email account slots: ask one of them.");
        }
    }
}
