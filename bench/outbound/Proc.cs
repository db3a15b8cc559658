using System.Globalization;

namespace Mailroom.Bench.Outbound;

/// <summary>What /proc says about a process: memory (VmRSS, Pss), CPU time, threads; and a process's descendants.</summary>
internal static class Proc
{
    /// <summary>USER_HZ: the unit of utime and stime in /proc/PID/stat (100 on every Linux this runs on).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>A field of /proc/PID/status (VmRSS, VmHWM, Threads…), in its own unit (kB for sizes); 0 when the process is gone.</summary>
    public static long Status(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>Proportional set size in kB (/proc/PID/smaps_rollup): shared pages counted once across processes, which is what a sum over Dovecot's processes needs.</summary>
    public static long Pss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    return long.Parse(line[4..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>User plus system CPU time of the process so far, in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // After the command name in parentheses (which may hold spaces): state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The process and every process below it (by PPid), as they are now.</summary>
    public static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Status(pid, "PPid") is var ppid and > 0)
            {
                parents[pid] = (int)ppid;
            }
        }
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }
        return tree;
    }

    /// <summary>Established TCP connections (IPv4) to a local port, seen from the client side: the connections some client holds to that server.</summary>
    public static int ConnectionsTo(int port)
    {
        var hex = port.ToString("X4", CultureInfo.InvariantCulture);
        return File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(f => f[2].EndsWith(":" + hex, StringComparison.Ordinal) && f[3] == "01");
    }
}
