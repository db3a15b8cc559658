using System.ComponentModel.DataAnnotations;

namespace Mailroom.Storage;

/// <summary>Which database backs the store, bound from <c>Mailroom:Database</c>.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string SectionName = "Mailroom:Database";

    /// <summary><c>sqlite</c> (embedded default, a file in the data directory) or <c>postgres</c>.</summary>
    [Required, RegularExpression("^(?i)(sqlite|postgres)$", ErrorMessage = "Mailroom:Database:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// SQLite only: page size of a database created from scratch (an existing file keeps its own).
    /// 8 KB rather than SQLite's 4 KB: an email of 2–4 KB kept in its row no longer takes a page
    /// of its own, so each group commit writes half as many log frames (bench/RESULTS.md, session 4).
    /// </summary>
    public int SqlitePageSize { get; set; } = 8192;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SqlitePageSize is < 512 or > 65536 || (SqlitePageSize & (SqlitePageSize - 1)) != 0)
        {
            yield return new ValidationResult(
                $"Mailroom:Database:SqlitePageSize must be a power of two from 512 to 65536 (it is {SqlitePageSize}).", [nameof(SqlitePageSize)]);
        }
    }

    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);
}
