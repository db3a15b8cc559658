namespace Mailroom.Plans;

/// <summary>The plan catalog, from configuration (<c>Mailroom:Plans</c>), never from code.</summary>
public sealed class PlanCatalogOptions
{
    public const string SectionName = "Mailroom:Plans";

    public string DefaultPlan { get; set; } = "free";

    public List<Plan> Catalog { get; set; } = [];

    /// <summary>
    /// A plan id the operator fixes the workspace to: the workspace is on it whatever was chosen
    /// before, and nobody can switch it in the app (until plan changes go through billing).
    /// </summary>
    public string? Pinned { get; set; }

    public Plan? PinnedPlan => string.IsNullOrWhiteSpace(Pinned) ? null : Find(Pinned);

    public Plan? Find(string id) => Catalog.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The plan a workspace is on; an unknown id (catalog edited) falls back to the default.</summary>
    public Plan Resolve(string id) => PinnedPlan ?? Find(id) ?? Find(DefaultPlan) ?? Catalog[0];

    /// <summary>Why this configuration cannot run, or null.</summary>
    public string? Problem()
    {
        if (Catalog.Count == 0 || Find(DefaultPlan) is null)
        {
            return $"Mailroom:Plans needs a catalog that contains its DefaultPlan ('{DefaultPlan}').";
        }
        if (!string.IsNullOrWhiteSpace(Pinned) && PinnedPlan is null)
        {
            return $"Mailroom:Plans:Pinned is '{Pinned}', which is not a plan of Mailroom:Plans:Catalog (choose one of: {string.Join(", ", Catalog.Select(p => p.Id))}).";
        }
        return null;
    }
}
