namespace Mailroom.Plans;

/// <summary>The plan catalog, from configuration (<c>Mailroom:Plans</c>), never from code.</summary>
public sealed class PlanCatalogOptions
{
    public const string SectionName = "Mailroom:Plans";

    public string DefaultPlan { get; set; } = "free";

    public List<Plan> Catalog { get; set; } = [];

    public Plan? Find(string id) => Catalog.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The plan a workspace is on; an unknown id (catalog edited) falls back to the default.</summary>
    public Plan Resolve(string id) => Find(id) ?? Find(DefaultPlan) ?? Catalog[0];
}
