using Microsoft.Extensions.Options;

namespace Mailroom.Smtp.Limits;

/// <summary>
/// The bytes of message bodies all sessions may hold in memory together
/// (<see cref="SmtpServerOptions.MaxBufferedBytes"/>); a session that cannot reserve more spools
/// its body to disk instead, so many concurrent large messages never add up in memory.
/// </summary>
public sealed class BodyBudget
{
    private readonly long _max;
    private long _used;

    public BodyBudget(IOptions<SmtpServerOptions> options)
    {
        _max = options.Value.MaxBufferedBytes;
        SpoolDirectory = options.Value.SpoolDirectory is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.Combine(Path.GetTempPath(), "mailroom-spool");
        ForgetStaleFiles(options.Value.SessionTimeout * 2);
    }

    public string SpoolDirectory { get; }

    /// <summary>Bytes reserved right now (for tests and metrics).</summary>
    public long Used => Interlocked.Read(ref _used);

    internal bool TryReserve(long bytes)
    {
        if (Interlocked.Add(ref _used, bytes) <= _max)
        {
            return true;
        }
        Interlocked.Add(ref _used, -bytes);
        return false;
    }

    internal void Release(long bytes) => Interlocked.Add(ref _used, -bytes);

    /// <summary>
    /// Spool files left by a crash. Only those older than any session can be (another server may
    /// share the directory), which is twice the session deadline.
    /// </summary>
    private void ForgetStaleFiles(TimeSpan age)
    {
        try
        {
            if (!Directory.Exists(SpoolDirectory))
            {
                return;
            }
            var before = DateTime.UtcNow - age;
            foreach (var file in new DirectoryInfo(SpoolDirectory).EnumerateFiles("*.spool"))
            {
                if (file.LastWriteTimeUtc < before)
                {
                    file.Delete();
                }
            }
        }
        catch (IOException)
        {
            // Left for the next start.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
