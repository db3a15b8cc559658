using System.ComponentModel.DataAnnotations;

namespace Mailroom.Hosting;

/// <summary>Top-level settings of a Mailroom server, bound from <c>Mailroom</c>.</summary>
public sealed class MailroomOptions
{
    public const string SectionName = "Mailroom";

    /// <summary>Where the SQLite database, blobs and Data Protection keys live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Domain of generated addresses.</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")]
    public string MailDomain { get; set; } = "mailroom.localhost";

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
