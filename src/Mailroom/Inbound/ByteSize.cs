using System.Globalization;

namespace Mailroom.Inbound;

/// <summary>Sizes as people read them in a post ("7.3 MB"), in binary units like mail clients show.</summary>
internal static class ByteSize
{
    public static string Format(long bytes) => bytes switch
    {
        >= 1024 * 1024 => (bytes / (1024d * 1024d)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        1 => "1 byte",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    /// <summary>Why an attachment of <paramref name="size"/> bytes was left out under <paramref name="limit"/>.</summary>
    public static string OverLimit(long size, long limit)
    {
        var shownLimit = Format(limit);
        var shownSize = Format(size);

        // "larger than the 5 MB limit (5 MB)" would read as a contradiction: show the bytes.
        if (shownSize == shownLimit)
        {
            shownSize = size.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
        }

        return $"larger than the {shownLimit} limit ({shownSize})";
    }
}
