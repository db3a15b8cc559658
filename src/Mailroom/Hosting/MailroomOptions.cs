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

    /// <summary>
    /// Where raw emails and attachments are kept; defaults to <c>{DataDirectory}/blobs</c>.
    /// Servers sharing one PostgreSQL database must share this directory too (e.g. an NFS or
    /// cluster volume), since any of them may process a message another one received.
    /// </summary>
    public string? BlobDirectory { get; set; }

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    public string FullBlobDirectory => Path.GetFullPath(string.IsNullOrWhiteSpace(BlobDirectory) ? Path.Combine(DataDirectory, "blobs") : BlobDirectory);
}
