using System.Globalization;

namespace Mailroom.Storage;

public static class Sizes
{
    /// <summary>"812 bytes", "4.2 KB", "7.3 MB" — binary units, as mail clients show them.</summary>
    public static string Human(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
