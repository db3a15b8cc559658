using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Plans;
using Mailroom.Storage;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Permissions;

/// <summary>The two email permissions of one role: "Send email (Email app)" and "Add email accounts (Email app)".</summary>
public sealed record RoleEmailPermissions(bool SendEmail, bool AddAccounts);

/// <summary>A change to one role's permissions; a null leaves that permission as it is.</summary>
public sealed record RoleEmailPermissionsChange(bool? SendEmail, bool? AddAccounts);

/// <summary>The Admin and Member rows, as stored, as they apply now, and who may change each.</summary>
public sealed record EmailRolesView(RoleEmailPermissions Admin, RoleEmailPermissions Member);

/// <summary>
/// Settings → Security & Permissions → custom role permissions (B18), as the page and the API see
/// them: <c>Available</c> says whether the plan has them; when it does not, <c>Locked*</c> is
/// PlanGates' refusal (which plan unlocks them) and <c>Effective</c> is the defaults, while
/// <c>Stored</c> keeps what was set for a later plan that has them.
/// </summary>
public sealed record EmailRolePermissionsView(
    bool Available, string? LockedCode, string? LockedMessage, string? UnlockedBy, string? UnlockedByName,
    EmailRolesView Stored, EmailRolesView Effective, bool MayChangeAdmin, bool MayChangeMember);

/// <summary>
/// Reads and changes the workspace's custom role permissions for email. Owners and admins read
/// them; the owner changes both rows, admins the Member row only — an admin cannot lift a
/// restriction the owner put on admins, their own role. Changing them needs a plan with custom
/// permissions (PlanGates); what decides a send or a link is <see cref="AccountPermissions"/>.
/// </summary>
public sealed class EmailRolePermissionsService(MailroomDb db, PlanGates plans, WorkspaceService workspaces, TimeProvider clock, ILogger<EmailRolePermissionsService> logger)
{
    public const string AdminsOnlyCode = "email_permissions_admins_only";
    public const string AdminRowOwnerOnlyCode = "email_permissions_admin_row_owner_only";

    public async Task<EmailRolePermissionsView> GetAsync(User actor, CancellationToken cancellationToken = default)
    {
        RequireMayRead(actor);
        var stored = await db.EmailRolePermissions.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new EmailRolePermissions();
        return View(actor, stored, await plans.MayAsync(PlanFeature.CustomPermissions, cancellationToken));
    }

    /// <summary>
    /// Applies <paramref name="admin"/> and <paramref name="member"/> (either may be null: unchanged).
    /// Turning on "Add email accounts" turns on "Send email" too; after that either can be turned
    /// off on its own, so every combination can be set.
    /// </summary>
    public Task<EmailRolePermissionsView> SetAsync(User actor, RoleEmailPermissionsChange? admin, RoleEmailPermissionsChange? member, CancellationToken cancellationToken = default) =>
        SetAsync(actor, admin, member, retried: false, cancellationToken);

    private async Task<EmailRolePermissionsView> SetAsync(User actor, RoleEmailPermissionsChange? admin, RoleEmailPermissionsChange? member, bool retried, CancellationToken cancellationToken)
    {
        RequireMayRead(actor);
        var decision = await plans.MayAsync(PlanFeature.CustomPermissions, cancellationToken);
        decision.ThrowIfRefused();
        var workspace = await workspaces.GetAsync(cancellationToken);
        var stored = await db.EmailRolePermissions.FirstOrDefaultAsync(cancellationToken);
        var first = stored is null;
        if (stored is null)
        {
            stored = new EmailRolePermissions { WorkspaceId = workspace.Id };
            db.EmailRolePermissions.Add(stored);
        }
        var (adminSend, adminAdd) = Apply(stored.AdminSendEmail, stored.AdminAddAccounts, admin);
        var (memberSend, memberAdd) = Apply(stored.MemberSendEmail, stored.MemberAddAccounts, member);
        if ((adminSend, adminAdd) != (stored.AdminSendEmail, stored.AdminAddAccounts) && actor.Role != WorkspaceRole.Owner)
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, AdminRowOwnerOnlyCode,
                "Only the workspace's owner changes what the Admin role may do with email; admins change the Member role's permissions.");
        }
        (stored.AdminSendEmail, stored.AdminAddAccounts, stored.MemberSendEmail, stored.MemberAddAccounts) = (adminSend, adminAdd, memberSend, memberAdd);
        stored.UpdatedAt = clock.GetUtcNow();
        stored.UpdatedBy = actor.Id;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (first && !retried)
        {
            // Saved for the first time by two people at once: the other's row stands; apply to it.
            db.ChangeTracker.Clear();
            return await SetAsync(actor, admin, member, retried: true, cancellationToken);
        }
        PermissionsLog.EmailRolesChanged(logger, actor.Id, adminSend, adminAdd, memberSend, memberAdd);
        return View(actor, stored, decision);
    }

    private static (bool Send, bool Add) Apply(bool send, bool add, RoleEmailPermissionsChange? change)
    {
        if (change is null)
        {
            return (send, add);
        }
        var newAdd = change.AddAccounts ?? add;
        var newSend = change.SendEmail ?? send;
        // The seed's rule: turning on Add turns on Send automatically.
        if (newAdd && !add)
        {
            newSend = true;
        }
        return (newSend, newAdd);
    }

    private static void RequireMayRead(User actor)
    {
        if (!actor.IsAdmin || actor.IsDeactivated)
        {
            throw new AppProblem(StatusCodes.Status403Forbidden, AdminsOnlyCode,
                "Only the workspace's owner and admins see and change the roles' email permissions.");
        }
    }

    private static EmailRolePermissionsView View(User actor, EmailRolePermissions stored, PlanDecision decision)
    {
        var roles = new EmailRolesView(new(stored.AdminSendEmail, stored.AdminAddAccounts), new(stored.MemberSendEmail, stored.MemberAddAccounts));
        var effective = decision.Allowed ? roles : new EmailRolesView(new(true, true), new(true, true));
        return new EmailRolePermissionsView(
            decision.Allowed, decision.Code, decision.Message, decision.UnlockedBy?.Id, decision.UnlockedBy?.Name,
            roles, effective,
            MayChangeAdmin: decision.Allowed && actor.Role == WorkspaceRole.Owner,
            MayChangeMember: decision.Allowed && actor.IsAdmin);
    }
}
