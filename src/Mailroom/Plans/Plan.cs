namespace Mailroom.Plans;

/// <summary>A plan of the catalog. A null limit means unlimited.</summary>
public sealed class Plan
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>Position in the catalog, smallest plan first.</summary>
    public int Rank { get; set; }

    public PlanLimits Limits { get; set; } = new();
}
