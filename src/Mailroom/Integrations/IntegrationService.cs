using Mailroom.Groups;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Integrations;

/// <summary>Adds, lists and removes the email addresses that feed groups.</summary>
public sealed class IntegrationService(
    MailroomDb db, GroupService groups, WorkspaceService workspaces,
    IOptions<MailroomOptions> mailroom, AddressMinter minter, IntegrationLookup lookup)
{
    public string AddressOf(EmailIntegration integration) => $"{integration.LocalPart}@{mailroom.Value.MailDomain}";

    public async Task<IntegrationList> ListAsync(User actor, CancellationToken cancellationToken = default)
    {
        var plan = await workspaces.CurrentPlanAsync(cancellationToken);
        var active = await db.EmailIntegrations.CountAsync(i => i.RemovedAt == null, cancellationToken);
        if (actor.Role == WorkspaceRole.Guest)
        {
            // Addresses are secret like passwords: guests see none, even of the groups they are in.
            return new IntegrationList(active, plan.Limits.EmailIntegrations, plan.Id, plan.Name, false, []);
        }
        var visibleGroups = groups.Visible(actor).Select(g => g.Id);
        var rows = await db.EmailIntegrations.AsNoTracking()
            .Where(i => i.RemovedAt == null && visibleGroups.Contains(i.GroupId))
            .Join(db.Groups, i => i.GroupId, g => g.Id, (i, g) => new { i, g.Name })
            .ToListAsync(cancellationToken);
        var items = rows.OrderBy(r => r.i.CreatedAt)
            .Select(r => new IntegrationView(r.i.Id, r.i.GroupId, r.Name, r.i.Title, AddressOf(r.i), r.i.CreatedAt))
            .ToList();
        var canAdd = await MayAddAnyAsync(actor, cancellationToken);
        return new IntegrationList(active, plan.Limits.EmailIntegrations, plan.Id, plan.Name, canAdd, items);
    }

    public async Task<IntegrationView> GetAsync(User actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (actor.Role == WorkspaceRole.Guest)
        {
            throw AppProblem.Forbidden("Guests cannot see integration addresses; ask an admin.");
        }
        var integration = await db.EmailIntegrations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id && i.RemovedAt == null, cancellationToken)
            ?? throw AppProblem.NotFound("The integration");
        var group = await groups.GetVisibleAsync(actor, integration.GroupId, cancellationToken);
        return new IntegrationView(integration.Id, group.Id, group.Name, integration.Title, AddressOf(integration), integration.CreatedAt);
    }

    /// <summary>
    /// A6: into an existing group (<paramref name="groupId"/>) or a new one dedicated to
    /// these emails (<paramref name="newGroupName"/>). The address is generated.
    /// </summary>
    public async Task<IntegrationView> AddAsync(User actor, Guid? groupId, string? newGroupName, string title, CancellationToken cancellationToken = default)
    {
        title = title?.Trim() ?? "";
        if (title.Length is 0 or > 200)
        {
            throw AppProblem.Invalid("invalid_title", "Give the integration a title of 1 to 200 characters; writers see it as the address's display name.");
        }
        if (groupId is null == string.IsNullOrWhiteSpace(newGroupName))
        {
            throw AppProblem.Invalid("group_required", "Choose an existing group, or name a new group for these emails (not both).");
        }
        var workspace = await workspaces.GetAsync(cancellationToken);
        Group group;
        if (groupId is { } id)
        {
            group = await groups.GetVisibleAsync(actor, id, cancellationToken);
            await RequireMayAddAsync(actor, workspace, group.Id, cancellationToken);
        }
        else
        {
            await RequireMayAddAsync(actor, workspace, null, cancellationToken);
            group = groups.New(actor, newGroupName!, $"Emails sent to \"{title}\".");
        }

        var strategy = db.Database.CreateExecutionStrategy();
        var integration = await strategy.ExecuteAsync(async () =>
        {
            // Count and insert in one serialised transaction: twenty requests at once for a plan
            // of three end with three integrations, whichever server or thread answers them.
            await using var tx = await db.BeginSerialisedAsync("email-integrations", cancellationToken);
            var plan = await workspaces.CurrentPlanAsync(cancellationToken);
            var active = await db.EmailIntegrations.CountAsync(i => i.RemovedAt == null, cancellationToken);
            if (plan.Limits.EmailIntegrations is { } limit && active >= limit)
            {
                throw AppProblem.Conflict("plan_limit_reached",
                    $"The {plan.Name} plan allows {limit} active email integrations and {active} are in use. Remove one, or ask the owner to switch to a larger plan.");
            }
            var added = new EmailIntegration
            {
                GroupId = group.Id,
                Title = title,
                LocalPart = await minter.NewLocalPartAsync(title, cancellationToken),
                CreatedByUserId = actor.Id,
            };
            db.EmailIntegrations.Add(added);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return added;
        });
        lookup.Forget();
        return new IntegrationView(integration.Id, group.Id, group.Name, integration.Title, AddressOf(integration), integration.CreatedAt);
    }

    /// <summary>A7: stops delivery at once; the posts it made stay.</summary>
    public async Task RemoveAsync(User actor, Guid id, CancellationToken cancellationToken = default)
    {
        var integration = await db.EmailIntegrations.FirstOrDefaultAsync(i => i.Id == id && i.RemovedAt == null, cancellationToken)
            ?? throw AppProblem.NotFound("The integration");
        await groups.GetVisibleAsync(actor, integration.GroupId, cancellationToken);
        if (!actor.IsAdmin && !await groups.IsManagerAsync(actor, integration.GroupId, cancellationToken))
        {
            throw AppProblem.Forbidden("Only admins and the group's managers may remove its email integrations.");
        }
        integration.RemovedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        lookup.Forget();
    }

    private async Task<bool> MayAddAnyAsync(User actor, CancellationToken cancellationToken)
    {
        if (actor.IsAdmin)
        {
            return true;
        }
        var workspace = await workspaces.GetAsync(cancellationToken);
        return workspace.IntegrationPermission switch
        {
            IntegrationPermission.AllMembers => actor.Role == WorkspaceRole.Member,
            IntegrationPermission.GroupManagers => await db.GroupMembers.AnyAsync(m => m.UserId == actor.Id && m.IsManager, cancellationToken),
            _ => false,
        };
    }

    /// <summary>A4: admins always; group managers or all members when an admin enabled that.</summary>
    private async Task RequireMayAddAsync(User actor, Workspace workspace, Guid? groupId, CancellationToken cancellationToken)
    {
        if (actor.IsAdmin)
        {
            return;
        }
        if (actor.Role == WorkspaceRole.Guest)
        {
            throw AppProblem.Forbidden("Guests cannot add email integrations.");
        }
        var allowed = workspace.IntegrationPermission switch
        {
            IntegrationPermission.AllMembers => true,
            IntegrationPermission.GroupManagers => groupId is { } g && await groups.IsManagerAsync(actor, g, cancellationToken),
            _ => false,
        };
        if (!allowed)
        {
            throw AppProblem.Forbidden(workspace.IntegrationPermission == IntegrationPermission.GroupManagers
                ? "Only admins and this group's managers may add email integrations to it."
                : "Only admins may add email integrations. An admin can let group managers or all members do it in the integration settings.");
        }
    }
}
