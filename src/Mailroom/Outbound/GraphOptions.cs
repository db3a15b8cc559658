namespace Mailroom.Outbound;

/// <summary>Microsoft Graph, bound from <c>Mailroom:Accounts:Graph</c>; the base URL points elsewhere only for a national cloud or a test's stand-in.</summary>
public sealed class GraphOptions
{
    public const string SectionName = "Mailroom:Accounts:Graph";

    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";
}
