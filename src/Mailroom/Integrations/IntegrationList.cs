namespace Mailroom.Integrations;

/// <summary>The integrations of the workspace, with how many are active against the plan's limit (A5, A7).</summary>
public sealed record IntegrationList(int Active, int? Limit, string PlanId, string PlanName, bool CanAdd, IReadOnlyList<IntegrationView> Items);
