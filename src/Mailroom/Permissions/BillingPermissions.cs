using Mailroom.Hosting;
using Mailroom.People;

namespace Mailroom.Permissions;

/// <summary>Who sees and spends the workspace's money: its owners and admins, decided here only.</summary>
public sealed class BillingPermissions
{
    public const string OwnerOrAdminOnlyCode = "billing_owner_or_admin_only";

    public bool MayManageBilling(User actor) => actor.IsAdmin && !actor.IsDeactivated;

    public void RequireMayManageBilling(User actor)
    {
        if (!MayManageBilling(actor))
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, OwnerOrAdminOnlyCode,
                "Only the workspace's owners and admins see its billing and buy email account slots: ask one of them.");
        }
    }
}
