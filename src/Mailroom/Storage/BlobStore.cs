using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Mailroom.Hosting;
using Microsoft.Extensions.Options;

namespace Mailroom.Storage;

/// <summary>
/// Content-addressed files under <c>{data}/blobs</c> (or <c>Mailroom:BlobDirectory</c>): raw messages and attachments, named by
/// their SHA-256. A blob is written to a temporary file, fsynced, renamed into place and its
/// directory fsynced, so once <see cref="PutAsync"/> returns the bytes survive a power cut.
/// </summary>
public sealed partial class BlobStore
{
    private readonly string _root;
    private readonly string _tmp;

    public BlobStore(IOptions<MailroomOptions> options)
    {
        _root = options.Value.FullBlobDirectory;
        _tmp = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(_tmp);
    }

    public static string Hash(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public string PathOf(string hash)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a blob hash.", nameof(hash));
        }
        return Path.Combine(_root, hash[..2], hash);
    }

    public bool Exists(string hash) => File.Exists(PathOf(hash));

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var hash = Hash(content.Span);
        var final = PathOf(hash);
        if (File.Exists(final))
        {
            return hash;
        }
        var dir = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(_tmp, $"{hash}.{Guid.NewGuid():N}");
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            await file.WriteAsync(content, cancellationToken);
            file.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temp, final, overwrite: false);
        }
        catch (IOException) when (File.Exists(final))
        {
            // Another writer stored the same content first; same bytes, nothing to do.
            File.Delete(temp);
            return hash;
        }
        SyncDirectory(dir);
        return hash;
    }

    public Stream OpenRead(string hash) =>
        new FileStream(PathOf(hash), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);

    public async Task<byte[]> ReadAllAsync(string hash, CancellationToken cancellationToken = default) =>
        await File.ReadAllBytesAsync(PathOf(hash), cancellationToken);

    /// <summary>Makes a rename durable: on POSIX the directory entry needs its own fsync.</summary>
    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }
        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
