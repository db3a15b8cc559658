using Mailroom.Hosting;

namespace Mailroom.Plans;

/// <summary>
/// The plan's answer to "may the workspace do this?": when refused, a stable code, a sentence
/// naming the plan the workspace is on and the cheapest plan (by rank) that would allow it.
/// </summary>
public sealed record PlanDecision(bool Allowed, Plan Plan, string? Code = null, string? Message = null, Plan? UnlockedBy = null, long? Limit = null)
{
    public static PlanDecision Yes(Plan plan) => new(true, plan);

    /// <summary>The refusal as the API answers it: 403 for a feature the plan lacks, 409 for a limit reached.</summary>
    public AppProblem ToProblem()
    {
        if (Allowed)
        {
            throw new InvalidOperationException("An allowed decision is not a problem.");
        }
        var status = Limit is null ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
        return new AppProblem(status, Code!, Message!)
        {
            Details = new Dictionary<string, object?>
            {
                ["plan"] = Plan.Id,
                ["unlockedBy"] = UnlockedBy?.Id,
                ["unlockedByName"] = UnlockedBy?.Name,
                ["limit"] = Limit,
            },
        };
    }

    public void ThrowIfRefused()
    {
        if (!Allowed)
        {
            throw ToProblem();
        }
    }
}
