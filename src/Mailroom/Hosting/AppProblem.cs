namespace Mailroom.Hosting;

/// <summary>
/// A refusal a user can act on: thrown by feature services, answered by the API as RFC 7807
/// problem details carrying the stable <see cref="Code"/>, and shown by the UI as a sentence.
/// </summary>
public sealed class AppProblem(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    /// <summary>More members of the problem details for a client to act on (e.g. the limit, the plan that unlocks it).</summary>
    public IReadOnlyDictionary<string, object?> Details { get; init; } = new Dictionary<string, object?>();

    public static AppProblem NotFound(string what) => new(StatusCodes.Status404NotFound, "not_found", $"{what} was not found.");
    public static AppProblem Forbidden(string message) => new(StatusCodes.Status403Forbidden, "forbidden", message);
    public static AppProblem Invalid(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);
    public static AppProblem Conflict(string code, string message) => new(StatusCodes.Status409Conflict, code, message);
}
