namespace Mailroom.Tests.Infrastructure;

/// <summary>The databases every store test runs on.</summary>
public enum Database
{
    Sqlite,
    Postgres,
}
