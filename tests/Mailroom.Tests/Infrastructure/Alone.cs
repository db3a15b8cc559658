namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// Tests that load the machine on their own (two servers, thousands of emails): run after the
/// others, one at a time, so that what they wait for does not wait behind the rest of the suite.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Alone
{
    public const string Name = "Alone";
}
