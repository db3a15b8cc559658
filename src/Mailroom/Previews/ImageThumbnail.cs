using System.Diagnostics;
using SkiaSharp;

namespace Mailroom.Previews;

/// <summary>
/// Draws one thumbnail from a stranger's image file, as cheaply as the file allows: the size is
/// read from the header first and an image over the pixel budget is refused before any pixel is
/// decoded; a JPEG is decoded straight at a reduced scale (libjpeg's 1/2, 1/4, 1/8), other
/// formats whole and then scaled down.
/// </summary>
public static class ImageThumbnail
{
    /// <summary>The thumbnail's WebP bytes, or null with the reason there is none.</summary>
    public readonly record struct Outcome(byte[]? Webp, string? Refusal);

    private static readonly HashSet<SKEncodedImageFormat> Drawn =
        [SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Gif, SKEncodedImageFormat.Webp];

    public static Outcome Make(string path, int maxSize, long maxPixels, TimeSpan budget)
    {
        var started = Stopwatch.GetTimestamp();
        using var codec = SKCodec.Create(path, out var opened);
        if (codec is null)
        {
            return new(null, $"not an image the decoder reads ({opened})");
        }
        if (!Drawn.Contains(codec.EncodedFormat))
        {
            return new(null, $"{codec.EncodedFormat} images are not previewed");
        }
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || (long)width * height > maxPixels)
        {
            return new(null, $"declares {width} × {height} pixels, over the budget of {maxPixels}");
        }

        // The smallest size the codec can decode to that is still at least the thumbnail's.
        var fit = Math.Min(1f, (float)maxSize / Math.Max(width, height));
        var target = new SKSizeI(Math.Max(1, (int)Math.Round(width * fit)), Math.Max(1, (int)Math.Round(height * fit)));
        var decoded = codec.GetScaledDimensions(fit);
        if (decoded.Width < target.Width || decoded.Height < target.Height)
        {
            decoded = new SKSizeI(width, height);
        }
        var info = new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var source = new SKBitmap(info);
        // The first frame of a GIF or animated WebP; a truncated file still shows what arrived.
        var result = codec.GetPixels(info, source.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            return new(null, $"could not be decoded ({result})");
        }
        if (Stopwatch.GetElapsedTime(started) > budget)
        {
            return new(null, $"took longer than {budget.TotalSeconds:0.#} s to decode");
        }

        using var scaled = target == decoded
            ? source.Copy()
            : source.Resize(new SKImageInfo(target.Width, target.Height, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        if (scaled is null)
        {
            return new(null, "could not be scaled");
        }
        using var oriented = Orient(scaled, codec.EncodedOrigin);
        using var image = SKImage.FromBitmap(oriented);
        using var webp = image.Encode(SKEncodedImageFormat.Webp, 80);
        return webp is null ? new(null, "could not be encoded") : new(webp.ToArray(), null);
    }

    /// <summary>Turns a phone photo upright as its EXIF orientation says (mirrored ones, rare, stay as they are).</summary>
    private static SKBitmap Orient(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        var (degrees, swap) = origin switch
        {
            SKEncodedOrigin.BottomRight => (180, false),
            SKEncodedOrigin.RightTop => (90, true),
            SKEncodedOrigin.LeftBottom => (270, true),
            _ => (0, false),
        };
        if (degrees == 0)
        {
            return bitmap.Copy();
        }
        var rotated = new SKBitmap(swap ? bitmap.Height : bitmap.Width, swap ? bitmap.Width : bitmap.Height, bitmap.ColorType, bitmap.AlphaType);
        using var canvas = new SKCanvas(rotated);
        canvas.Translate(rotated.Width / 2f, rotated.Height / 2f);
        canvas.RotateDegrees(degrees);
        canvas.Translate(-bitmap.Width / 2f, -bitmap.Height / 2f);
        canvas.DrawBitmap(bitmap, 0, 0);
        return rotated;
    }
}
