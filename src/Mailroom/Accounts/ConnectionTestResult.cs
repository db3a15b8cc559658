namespace Mailroom.Accounts;

/// <summary>The outcome of "Test connection": every step passed, or the one that failed, why, and the server's words.</summary>
public sealed record ConnectionTestResult(bool Ok, ConnectionStep? FailedStep, ConnectionFailure? Failure, string? Detail)
{
    /// <summary>The provider refused to renew an OAuth account's access (invalid_grant): only signing in again helps.</summary>
    public bool NeedsReauthentication { get; init; }

    public static ConnectionTestResult Passed { get; } = new(true, null, null, null);

    public static ConnectionTestResult Failed(ConnectionStep step, ConnectionFailure failure, string detail) => new(false, step, failure, detail);
}
