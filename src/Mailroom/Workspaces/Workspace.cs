using Mailroom.Storage;

namespace Mailroom.Workspaces;

/// <summary>The one workspace a Mailroom server holds.</summary>
public sealed class Workspace
{
    public Guid Id { get; set; } = Ids.New();
    public required string Name { get; set; }

    /// <summary>Id of the plan in the configured catalog.</summary>
    public string PlanId { get; set; } = "free";

    /// <summary>Who besides admins may add email integrations to groups (A4).</summary>
    public IntegrationPermission IntegrationPermission { get; set; } = IntegrationPermission.AdminsOnly;

    /// <summary>
    /// Emails sent from tasks so far (one use each, counted when it leaves, in the same save as
    /// its Sent status). A counter rather than a count of rows: deleting a task gives no use back.
    /// </summary>
    public int EmailUses { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
