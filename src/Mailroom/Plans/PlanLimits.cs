namespace Mailroom.Plans;

/// <summary>
/// What a plan allows, read from configuration only: code asks <see cref="PlanGates"/>, never a
/// plan's name. A null limit means unlimited.
/// </summary>
public sealed class PlanLimits
{
    /// <summary>Active email integrations in the workspace (A5).</summary>
    public int? EmailIntegrations { get; set; }

    /// <summary>Connected mailboxes the plan includes before any bought slot.</summary>
    public int FreeEmailAccounts { get; set; } = 1;

    /// <summary>Emails sent from tasks (each one counts when it leaves); null: unlimited.</summary>
    public int? EmailUses { get; set; }

    /// <summary>Send later: an email with a time to leave.</summary>
    public bool Scheduling { get; set; }

    public bool Signatures { get; set; }

    public bool Templates { get; set; }

    /// <summary>Whether the workspace may turn off the "Sent using Mailroom" footer.</summary>
    public bool WatermarkRemovable { get; set; }

    /// <summary>Custom role permissions for email ("Send email", "Add email accounts").</summary>
    public bool CustomPermissions { get; set; }

    /// <summary>Contacts each connected mailbox may bring into the workspace; null: unlimited.</summary>
    public int? ContactsPerAccount { get; set; } = 100;

    /// <summary>Whether owners and admins may buy email account slots beyond <see cref="FreeEmailAccounts"/>.</summary>
    public bool ExtraAccountSlots { get; set; }

    /// <summary>Price of one extra slot for a monthly cycle, in cents of the catalog's currency.</summary>
    public long ExtraSlotMonthlyCents { get; set; }

    /// <summary>Price of one extra slot for a yearly cycle, in cents of the catalog's currency.</summary>
    public long ExtraSlotYearlyCents { get; set; }

    /// <summary>The plan's own price for a monthly cycle, in cents of the catalog's currency (0: free).</summary>
    public long PriceMonthlyCents { get; set; }

    /// <summary>The plan's own price for a yearly cycle, in cents of the catalog's currency (0: free).</summary>
    public long PriceYearlyCents { get; set; }

    public bool Allows(PlanFeature feature) => feature switch
    {
        PlanFeature.Scheduling => Scheduling,
        PlanFeature.Signatures => Signatures,
        PlanFeature.Templates => Templates,
        PlanFeature.WatermarkRemoval => WatermarkRemovable,
        PlanFeature.CustomPermissions => CustomPermissions,
        PlanFeature.ExtraAccountSlots => ExtraAccountSlots,
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
    };
}
