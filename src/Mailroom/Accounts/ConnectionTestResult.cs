namespace Mailroom.Accounts;

/// <summary>The outcome of "Test connection": every step passed, or the one that failed, why, and the server's words.</summary>
public sealed record ConnectionTestResult(bool Ok, ConnectionStep? FailedStep, ConnectionFailure? Failure, string? Detail)
{
    public static ConnectionTestResult Passed { get; } = new(true, null, null, null);

    public static ConnectionTestResult Failed(ConnectionStep step, ConnectionFailure failure, string detail) => new(false, step, failure, detail);
}
