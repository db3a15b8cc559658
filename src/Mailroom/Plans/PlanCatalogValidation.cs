using Microsoft.Extensions.Options;

namespace Mailroom.Plans;

/// <summary>Stops the server at start on a catalog it cannot run with, saying which setting is wrong.</summary>
public sealed class PlanCatalogValidation : IValidateOptions<PlanCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, PlanCatalogOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
