using Microsoft.Extensions.Options;

namespace Mailroom.Billing;

/// <summary>Stops the server at start on billing settings it cannot run with, saying which setting is wrong.</summary>
public sealed class BillingOptionsValidation : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
