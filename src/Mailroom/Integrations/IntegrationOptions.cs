namespace Mailroom.Integrations;

/// <summary>Options of generated addresses, bound from <c>Mailroom:Integrations</c>.</summary>
public sealed class IntegrationOptions
{
    public const string SectionName = "Mailroom:Integrations";

    /// <summary>Random characters (5 bits each) in a generated local part; 16 is the 80-bit floor.</summary>
    public int RandomLength { get; set; } = 20;
}
