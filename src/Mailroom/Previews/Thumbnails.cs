using System.Diagnostics;
using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.Extensions.Options;

namespace Mailroom.Previews;

/// <summary>
/// Thumbnails of image attachments, made on the first request and kept on disk by the blob's
/// hash (the same picture in ten posts is drawn once). Made lazily rather than at intake: the
/// intake path stays as fast as it is measured to be, a hostile image costs a viewer's request
/// (bounded by the budgets) instead of delaying or quarantining mail, only images someone looks
/// at are decoded, and a lost or outdated cache is simply made again. An image that gets no
/// thumbnail is remembered too, so a decompression bomb is read once, not on every page view.
/// </summary>
public sealed partial class Thumbnails(IOptions<ThumbnailOptions> options, IOptions<MailroomOptions> mailroom, BlobStore blobs, ILogger<Thumbnails> logger)
{
    public const string ContentType = "image/webp";

    // One decode at a time: a whole PNG at the pixel budget is 160 MB of memory, and two cores
    // are shared with the mail listener.
    private readonly SemaphoreSlim _gate = new(1, 1);

    private string Root => options.Value.Directory is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.Combine(mailroom.Value.FullDataDirectory, "thumbnails");

    /// <summary>The thumbnail's file, or null when the image gets none (or not within the time budget).</summary>
    public async Task<string?> GetAsync(string blobHash, CancellationToken cancellationToken)
    {
        var source = blobs.PathOf(blobHash);
        var (made, refused) = (PathOf(blobHash, ".webp"), PathOf(blobHash, ".none"));
        if (File.Exists(made))
        {
            return made;
        }
        if (File.Exists(refused))
        {
            return null;
        }
        var budget = options.Value.TimeBudget;
        var started = Stopwatch.GetTimestamp();
        if (!await _gate.WaitAsync(budget, cancellationToken))
        {
            LogBusy(logger, blobHash);
            return null;
        }
        // Started under the gate, finished (and cached) even if this request stops waiting for it.
        var work = Task.Run(() =>
        {
            try
            {
                if (File.Exists(made) || File.Exists(refused))
                {
                    return;
                }
                var outcome = ImageThumbnail.Make(source, options.Value.MaxSize, options.Value.MaxPixels, budget);
                if (outcome.Webp is { } webp)
                {
                    Write(made, webp);
                }
                else
                {
                    LogRefused(logger, blobHash, outcome.Refusal ?? "");
                    Write(refused, []);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogFailed(logger, blobHash, e);
            }
            finally
            {
                _gate.Release();
            }
        }, CancellationToken.None);
        try
        {
            await work.WaitAsync(budget - Stopwatch.GetElapsedTime(started) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogSlow(logger, blobHash, budget);
            return null;
        }
        return File.Exists(made) ? made : null;
    }

    private string PathOf(string hash, string extension) => Path.Combine(Root, hash[..2], hash + extension);

    // A cache: a crash may lose a file, never leave half of one (temp file, then rename).
    private static void Write(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "No thumbnail for blob {Hash}: {Reason}.")]
    private static partial void LogRefused(ILogger logger, string hash, string reason);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Thumbnail of blob {Hash} not made within {Budget}; the request goes without.")]
    private static partial void LogSlow(ILogger logger, string hash, TimeSpan budget);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Thumbnail of blob {Hash} waits: another image is being drawn.")]
    private static partial void LogBusy(ILogger logger, string hash);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "Thumbnail of blob {Hash} could not be stored.")]
    private static partial void LogFailed(ILogger logger, string hash, Exception exception);
}
