using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Mailroom.Hosting;
using Microsoft.Extensions.Options;

namespace Mailroom.Storage;

/// <summary>
/// Content-addressed files under <c>{data}/blobs</c> (or <c>Mailroom:BlobDirectory</c>): raw
/// messages and attachments, named by their SHA-256. A blob is written to a temporary file in
/// its final directory and renamed into place, so a name never shows half a file.
/// </summary>
/// <remarks>
/// Durability comes in two forms. <see cref="PutAsync"/> with <c>flush</c> fsyncs the file and
/// its directory before returning. Without it, callers that commit many blobs at once call
/// <see cref="Sync"/> once before committing the rows that refer to them: on Linux one
/// <c>syncfs(2)</c> makes every blob written so far durable, instead of two fsyncs per blob.
/// A blob whose name exists is verified (size and hash) before it is trusted, so a file left
/// incomplete by a crash before its sync is rewritten, never reused; a whole one is synced (or
/// counted for the next <see cref="Sync"/>) like a new one, since its writer may not have synced
/// it yet. A failed fsync fails the put: the sender gets 451, nothing is acknowledged.
/// </remarks>
public sealed partial class BlobStore : IDisposable
{
    private readonly string _root;
    private readonly int _rootFd = -1;
    private readonly Lock _syncLock = new();
    private readonly Func<int, int> _fsync;
    private long _written;
    private long _synced;

    public BlobStore(IOptions<MailroomOptions> options)
        : this(options, Fsync)
    {
    }

    /// <summary>With another <c>fsync(2)</c> for directories (tests make it fail).</summary>
    internal BlobStore(IOptions<MailroomOptions> options, Func<int, int> fsync)
    {
        _fsync = fsync;
        _root = options.Value.FullBlobDirectory;
        Directory.CreateDirectory(_root);
        for (var i = 0; i < 256; i++)
        {
            Directory.CreateDirectory(Path.Combine(_root, i.ToString("x2")));
        }
        if (OperatingSystem.IsLinux())
        {
            _rootFd = Open(_root, 0 /* O_RDONLY */);
        }
    }

    /// <summary>Whether <see cref="Sync"/> can make unflushed writes durable in one call.</summary>
    public bool CanBatchSync => _rootFd >= 0;

    /// <summary>Whether blobs put without flush wait for the next <see cref="Sync"/>.</summary>
    internal bool HasUnsyncedWrites
    {
        get
        {
            lock (_syncLock)
            {
                return Interlocked.Read(ref _written) > _synced;
            }
        }
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

    /// <summary>Stores the content and returns its hash; with <paramref name="flush"/> (or when batch sync is unavailable) it is durable on return.</summary>
    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, bool flush = true, CancellationToken cancellationToken = default)
    {
        flush |= !CanBatchSync;
        var hash = Hash(content.Span);
        var final = PathOf(hash);
        var dir = Path.GetDirectoryName(final)!;
        if (await HoldsAsync(final, hash, content.Length, cancellationToken))
        {
            // Its writer (an earlier process, another server, a session still before its
            // commit) may not have synced it yet: the bytes can be in the page cache only.
            Settle(final, flush, fileToo: true);
            return hash;
        }
        var temp = Path.Combine(dir, $".{hash}.{Guid.NewGuid():N}.tmp");
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            await file.WriteAsync(content, cancellationToken);
            if (flush)
            {
                file.Flush(flushToDisk: true);
            }
        }
        // Same content from two writers at once: both files are whole, either may win.
        File.Move(temp, final, overwrite: true);
        Settle(final, flush, fileToo: false);
        return hash;
    }

    /// <summary>
    /// Stores a file written elsewhere (a spooled message body) under its hash, by renaming it into
    /// place when it is on the same file system, so a large message is never read whole into memory.
    /// Durability as for <see cref="PutAsync"/>. The file is gone from <paramref name="path"/> unless the content was already stored.
    /// </summary>
    public async Task<string> PutFileAsync(string path, bool flush = true, CancellationToken cancellationToken = default)
    {
        flush |= !CanBatchSync;
        string hash;
        long length;
        await using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            length = source.Length;
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(source, cancellationToken));
            if (flush)
            {
                source.Flush(flushToDisk: true);
            }
        }
        var final = PathOf(hash);
        if (await HoldsAsync(final, hash, length, cancellationToken))
        {
            // As in PutAsync: its writer may not have synced it yet.
            Settle(final, flush, fileToo: true);
            return hash;
        }
        var dir = Path.GetDirectoryName(final)!;
        try
        {
            File.Move(path, final, overwrite: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another file system (EXDEV): copy into the store's directory, then rename as PutAsync does.
            var temp = Path.Combine(dir, $".{hash}.{Guid.NewGuid():N}.tmp");
            File.Copy(path, temp);
            if (flush)
            {
                await using var copy = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite);
                copy.Flush(flushToDisk: true);
            }
            File.Move(temp, final, overwrite: true);
        }
        Settle(final, flush, fileToo: false);
        return hash;
    }

    /// <summary>
    /// Stores a stream's content and returns its hash, hashing while it copies: an attachment of a
    /// large email goes file to file, never whole into memory. Durable as <see cref="PutAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/>.
    /// </summary>
    public async Task<string> PutAsync(Stream content, bool flush = true, CancellationToken cancellationToken = default)
    {
        flush |= !CanBatchSync;
        var temp = Path.Combine(_root, $".{Guid.NewGuid():N}.tmp");
        string hash;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int count;
                while ((count = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, count);
                    await file.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
                }
                hash = Convert.ToHexStringLower(sha.GetHashAndReset());
                if (flush)
                {
                    file.Flush(flushToDisk: true);
                }
            }
            // Same content already stored, or from two writers at once: both files are whole,
            // either may win, and this one is counted for the next sync either way.
            File.Move(temp, PathOf(hash), overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        Settle(PathOf(hash), flush, fileToo: false);
        return hash;
    }

    /// <summary>
    /// A blob just put in place becomes durable: now (its directory entry, and the file itself when
    /// another writer put it there and may not have synced it), or counted for the next <see cref="Sync"/>.
    /// </summary>
    private void Settle(string path, bool flush, bool fileToo)
    {
        if (!flush)
        {
            Interlocked.Increment(ref _written);
            return;
        }
        if (fileToo)
        {
            SyncFile(path);
        }
        SyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Makes every blob written without flush before this call durable.</summary>
    public void Sync()
    {
        var target = Interlocked.Read(ref _written);
        lock (_syncLock)
        {
            if (_synced >= target || _rootFd < 0)
            {
                return;
            }
            var upTo = Interlocked.Read(ref _written);
            if (SyncFs(_rootFd) != 0)
            {
                throw new IOException($"syncfs failed with errno {Marshal.GetLastPInvokeError()}; blobs may not be durable.");
            }
            _synced = upTo;
        }
    }

    public Stream OpenRead(string hash) =>
        new FileStream(PathOf(hash), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);

    public async Task<byte[]> ReadAllAsync(string hash, CancellationToken cancellationToken = default) =>
        await File.ReadAllBytesAsync(PathOf(hash), cancellationToken);

    private static async Task<bool> HoldsAsync(string path, string hash, long length, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != length)
        {
            return false;
        }
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)) == hash;
    }

    /// <summary>Makes a rename durable: on POSIX the directory entry needs its own fsync.</summary>
    /// <exception cref="IOException">The directory could not be synced: the blob may not be durable, so nothing may be acknowledged.</exception>
    private void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Could not open {directory} to fsync it (errno {Marshal.GetLastPInvokeError()}); the blob may not be durable.");
        }
        try
        {
            if (_fsync(fd) != 0)
            {
                throw new IOException($"fsync of {directory} failed with errno {Marshal.GetLastPInvokeError()}; the blob may not be durable.");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static void SyncFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
        file.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        if (_rootFd >= 0)
        {
            _ = Close(_rootFd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
