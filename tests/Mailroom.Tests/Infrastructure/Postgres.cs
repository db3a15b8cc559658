namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL server the test script starts (see test.sh): its connection string is in
/// MAILROOM_TEST_POSTGRES. Each server under test gets a database of its own.
/// </summary>
internal static class Postgres
{
    public const string Variable = "MAILROOM_TEST_POSTGRES";

    public static string NewDatabase()
    {
        var baseString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(baseString))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: PostgreSQL tests need the server that ./test.sh starts. Run the suite with ./test.sh, or export {Variable}='Host=127.0.0.1;Port=…;Username=postgres'.");
        }
        return $"{baseString.TrimEnd(';')};Database=mr_{Guid.NewGuid():N}";
    }
}
