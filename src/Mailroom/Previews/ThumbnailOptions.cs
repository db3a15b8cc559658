using System.ComponentModel.DataAnnotations;

namespace Mailroom.Previews;

/// <summary>Image attachment previews, bound from <c>Mailroom:Thumbnails</c>.</summary>
public sealed class ThumbnailOptions
{
    public const string SectionName = "Mailroom:Thumbnails";

    /// <summary>Longest side of a thumbnail, in pixels.</summary>
    [Range(32, 2048)]
    public int MaxSize { get; set; } = 320;

    /// <summary>
    /// Width × height an image may declare in its header and still be decoded. A few hundred
    /// bytes of PNG can declare 100,000 × 100,000 pixels (40 GB once decoded): such an image is
    /// refused from its header, before any pixel is decoded.
    /// </summary>
    [Range(1, 1_000_000_000)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Longest one thumbnail may take to make; a slower image gets none.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where thumbnails are kept; defaults to <c>{DataDirectory}/thumbnails</c>.</summary>
    public string? Directory { get; set; }
}
