namespace Mailroom.Plans;

/// <summary>The plan catalog, from configuration (<c>Mailroom:Plans</c>), never from code.</summary>
public sealed class PlanCatalogOptions
{
    public const string SectionName = "Mailroom:Plans";

    public string DefaultPlan { get; set; } = "free";

    public List<Plan> Catalog { get; set; } = [];

    /// <summary>The currency of every price in the catalog (ISO 4217, lower case as payment processors take it).</summary>
    public string Currency { get; set; } = "usd";

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
        for (var i = 0; i < Catalog.Count; i++)
        {
            if (PlanProblem(i) is { } problem)
            {
                return problem;
            }
        }
        var duplicate = Catalog.GroupBy(p => p.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return $"Mailroom:Plans:Catalog has the plan id '{duplicate.Key}' twice: each plan needs its own Id.";
        }
        var sameRank = Catalog.GroupBy(p => p.Rank).FirstOrDefault(g => g.Count() > 1);
        if (sameRank is not null)
        {
            return $"Mailroom:Plans:Catalog gives Rank {sameRank.Key} to {string.Join(" and ", sameRank.Select(p => p.Id))}: ranks order the plans (which one unlocks a feature), so each needs its own.";
        }
        if (string.IsNullOrWhiteSpace(Currency) || Currency.Length != 3 || !Currency.All(char.IsAsciiLetterLower))
        {
            return $"Mailroom:Plans:Currency is '{Currency}': give a three-letter ISO 4217 code in lower case, e.g. usd or eur.";
        }
        // A larger plan costing less would make an "upgrade" a refund and a "downgrade" a charge.
        var ordered = Catalog.OrderBy(p => p.Rank).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var (smaller, larger) = (ordered[i - 1], ordered[i]);
            if (larger.Limits.PriceMonthlyCents < smaller.Limits.PriceMonthlyCents || larger.Limits.PriceYearlyCents < smaller.Limits.PriceYearlyCents)
            {
                return $"Mailroom:Plans:Catalog prices {larger.Id} (rank {larger.Rank}) below {smaller.Id} (rank {smaller.Rank}): a plan of a higher rank costs at least as much, monthly and yearly.";
            }
        }
        return null;
    }

    private string? PlanProblem(int index)
    {
        var plan = Catalog[index];
        var at = $"Mailroom:Plans:Catalog:{index}";
        if (string.IsNullOrWhiteSpace(plan.Id))
        {
            return $"{at}:Id is empty: every plan needs an id.";
        }
        var limits = plan.Limits;
        (string Name, long? Value)[] numbers =
        [
            (nameof(PlanLimits.EmailIntegrations), limits.EmailIntegrations),
            (nameof(PlanLimits.FreeEmailAccounts), limits.FreeEmailAccounts),
            (nameof(PlanLimits.EmailUses), limits.EmailUses),
            (nameof(PlanLimits.ContactsPerAccount), limits.ContactsPerAccount),
            (nameof(PlanLimits.ExtraSlotMonthlyCents), limits.ExtraSlotMonthlyCents),
            (nameof(PlanLimits.ExtraSlotYearlyCents), limits.ExtraSlotYearlyCents),
            (nameof(PlanLimits.PriceMonthlyCents), limits.PriceMonthlyCents),
            (nameof(PlanLimits.PriceYearlyCents), limits.PriceYearlyCents),
        ];
        foreach (var (name, value) in numbers)
        {
            if (value < 0)
            {
                return $"{at}:Limits:{name} is {value} (plan '{plan.Id}'): a limit or a price is 0 or more (leave a limit empty, null, for unlimited).";
            }
        }
        return null;
    }
}
