using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.Extensions.Options;

namespace Mailroom.Tests.Storage;

/// <summary>
/// When the blob store says a blob is stored, it is on disk, not only in the page cache: also
/// when another writer (an earlier process, another server on the shared directory) put the
/// same bytes first, and never when the directory's fsync failed.
/// </summary>
public sealed class BlobStoreDurabilityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mailroom-blobs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private IOptions<MailroomOptions> Options => Microsoft.Extensions.Options.Options.Create(new MailroomOptions { DataDirectory = _directory });

    [Fact]
    public async Task SameBytesAlreadyWrittenByAnotherWriter_AreSyncedBeforeTheyCount()
    {
        var content = "Received: a resent message\r\n\r\nSame bytes as before.\r\n"u8.ToArray();
        // The first writer (e.g. the process that crashed before its sync) left the file unsynced.
        using (var first = new BlobStore(Options))
        {
            await first.PutAsync(content, flush: false);
            Assert.True(first.HasUnsyncedWrites);
        }

        using var second = new BlobStore(Options);
        var hash = await second.PutAsync(content, flush: false);

        Assert.True(second.Exists(hash));
        Assert.True(second.HasUnsyncedWrites, "a blob found in place must still be synced before the rows that refer to it commit");
        second.Sync();
        Assert.False(second.HasUnsyncedWrites);
    }

    [Fact]
    public async Task DirectoryFsyncFails_ThePutFails()
    {
        using var store = new BlobStore(Options, fsync: _ => -1);

        var error = await Assert.ThrowsAsync<IOException>(() => store.PutAsync("Subject: x\r\n\r\nbody\r\n"u8.ToArray(), flush: true));
        Assert.Contains("fsync", error.Message);
    }

    [Fact]
    public async Task DirectoryFsyncFails_ForBytesAlreadyInPlace_ThePutFails()
    {
        var content = "Subject: twice\r\n\r\nbody\r\n"u8.ToArray();
        using (var first = new BlobStore(Options))
        {
            await first.PutAsync(content, flush: false);
        }
        using var store = new BlobStore(Options, fsync: _ => -1);

        await Assert.ThrowsAsync<IOException>(() => store.PutAsync(content, flush: true));
    }
}
