using System.ComponentModel.DataAnnotations;

namespace Mailroom.Storage;

/// <summary>Which database backs the store, bound from <c>Mailroom:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Mailroom:Database";

    /// <summary><c>sqlite</c> (embedded default, a file in the data directory) or <c>postgres</c>.</summary>
    [Required, RegularExpression("^(?i)(sqlite|postgres)$", ErrorMessage = "Mailroom:Database:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);
}
