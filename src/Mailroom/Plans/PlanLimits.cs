namespace Mailroom.Plans;

/// <summary>Limits of a plan; later features add theirs here. Null means unlimited.</summary>
public sealed class PlanLimits
{
    /// <summary>Active email integrations in the workspace (A5).</summary>
    public int? EmailIntegrations { get; set; }
}
