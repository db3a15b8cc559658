using System.Diagnostics;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// A real Postfix in front of a Mailroom, as the README sets it up: deploy/postfix/main.cf and
/// transport as shipped (only the domain, the LMTP port and /etc/postfix/ replaced), plus what
/// a throw-away instance needs: its own config, queue and data directories in a temp dir, a
/// loopback port, and every outbound message (a bounce) relayed to an smtp-sink that dumps it
/// to <see cref="SinkDirectory"/>.
/// </summary>
public sealed class PostfixInstance : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _config;
    private Process? _sink;

    private PostfixInstance(string root)
    {
        _root = root;
        _config = Path.Combine(root, "conf");
        SinkDirectory = Path.Combine(root, "sink");
        Port = FreePort.Next();
        SinkPort = FreePort.Next();
    }

    public int Port { get; }
    public int SinkPort { get; }
    public string SinkDirectory { get; }
    public string MailLog => File.Exists(Path.Combine(_root, "maillog")) ? File.ReadAllText(Path.Combine(_root, "maillog")) : "(no maillog)";

    public static async Task<PostfixInstance> StartAsync(string mailDomain, int lmtpPort)
    {
        // Postfix's master runs as root and drops to the postfix user; the test machine (CI) is root.
        Daemons.RequireRoot("A real Postfix");
        if (!File.Exists("/usr/sbin/postfix") || !File.Exists("/usr/sbin/smtp-sink"))
        {
            throw new InvalidOperationException("Postfix is not installed: run test.sh once (it installs the postfix package).");
        }
        var root = Directory.CreateTempSubdirectory("mailroom-postfix-").FullName;
        var postfix = new PostfixInstance(root);
        try
        {
            await postfix.ConfigureAsync(mailDomain, lmtpPort);
            await postfix.StartSinkAsync();
            await RunAsync("postfix", "-c", postfix._config, "start");
            await postfix.WaitForPortAsync(postfix.Port);
            return postfix;
        }
        catch
        {
            await postfix.DisposeAsync();
            throw;
        }
    }

    private async Task ConfigureAsync(string mailDomain, int lmtpPort)
    {
        Directory.CreateDirectory(_config);
        var queue = Directory.CreateDirectory(Path.Combine(_root, "queue")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        Directory.CreateDirectory(SinkDirectory);
        // The postfix user must reach its data directory (and the sink its dump directory).
        await RunAsync("chmod", "755", _root);
        await RunAsync("chmod", "777", SinkDirectory);
        await RunAsync("chown", "postfix", data);

        var shipped = Path.Combine(AppContext.BaseDirectory, "deploy", "postfix");
        string Adapt(string text) => text
            .Replace("/etc/postfix/", _config + "/", StringComparison.Ordinal)
            .Replace("mail.example.com", mailDomain, StringComparison.Ordinal)
            .Replace("127.0.0.1:2525", $"127.0.0.1:{lmtpPort}", StringComparison.Ordinal);
        // Written from scratch, not from main.cf.proto: its empty *_directory settings make
        // `postfix check` fail without saying why. Compiled-in defaults cover the rest.
        var instance = $"""
            compatibility_level = 3.6
            queue_directory = {queue}
            data_directory = {data}
            maillog_file = {_root}/maillog
            maillog_file_prefixes = {_root}
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = mx.postfix-test.localhost
            mydestination =
            # Not the test client (127.0.0.1): it is an Internet sender, no trusted relay.
            mynetworks = 127.0.0.2/32
            # Anything Postfix sends out (a bounce to the claimed sender) lands in the sink.
            relayhost = [127.0.0.1]:{SinkPort}
            smtp_host_lookup = native

            """;
        await File.WriteAllTextAsync(Path.Combine(_config, "main.cf"), instance + Adapt(await File.ReadAllTextAsync(Path.Combine(shipped, "main.cf"))));
        await File.WriteAllTextAsync(Path.Combine(_config, "transport"), Adapt(await File.ReadAllTextAsync(Path.Combine(shipped, "transport"))));
        await File.WriteAllTextAsync(Path.Combine(_config, "master.cf"), MasterCf(Port));
        await RunAsync("postmap", "-c", _config, Path.Combine(_config, "transport"));
        await RunAsync("postfix", "-c", _config, "check");
    }

    private async Task StartSinkAsync()
    {
        var info = new ProcessStartInfo("/usr/sbin/smtp-sink") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-u", "postfix", "-d", Path.Combine(SinkDirectory, "%Y%m%d%H%M%S."), $"127.0.0.1:{SinkPort}", "10" })
        {
            info.ArgumentList.Add(arg);
        }
        _sink = Process.Start(info) ?? throw new InvalidOperationException("Could not start smtp-sink.");
        await WaitForPortAsync(SinkPort);
    }

    /// <summary>What <c>postqueue -p</c> lists: "Mail queue is empty" when nothing waits.</summary>
    public Task<string> QueueAsync() => RunAsync("postqueue", "-c", _config, "-p");

    /// <summary>The messages that reached the sink (bounces and anything else sent out).</summary>
    public string[] SentOut() => Directory.GetFiles(SinkDirectory);

    private Task WaitForPortAsync(int port) => Daemons.WaitForPortAsync(port, () => MailLog);

    private static Task<string> RunAsync(string command, params string[] args) => Daemons.RunAsync(command, args);

    /// <summary>Postfix's standard services without chroot (a temp dir holds no /etc for a jail), smtpd on the loopback port.</summary>
    internal static string MasterCf(int smtpPort) => $"""
        127.0.0.1:{smtpPort} inet n - n - - smtpd
        pickup unix n - n 60 1 pickup
        cleanup unix n - n - 0 cleanup
        qmgr unix n - n 300 1 qmgr
        rewrite unix - - n - - trivial-rewrite
        bounce unix - - n - 0 bounce
        defer unix - - n - 0 bounce
        trace unix - - n - 0 bounce
        verify unix - - n - 1 verify
        flush unix n - n 1000? 0 flush
        proxymap unix - - n - - proxymap
        proxywrite unix - - n - 1 proxymap
        smtp unix - - n - - smtp
        relay unix - - n - - smtp
        showq unix n - n - - showq
        error unix - - n - - error
        retry unix - - n - - error
        discard unix - - n - - discard
        local unix - n n - - local
        lmtp unix - - n - - lmtp
        anvil unix - - n - 1 anvil
        scache unix - - n - 1 scache
        postlog unix-dgram n - n - 1 postlogd

        """;

    public async ValueTask DisposeAsync()
    {
        // Stopped and gone before its queue is removed.
        await Daemons.StopPostfixAsync(Path.Combine(_root, "queue", "pid", "master.pid"));
        if (_sink is { HasExited: false })
        {
            _sink.Kill();
            await _sink.WaitForExitAsync();
        }
        _sink?.Dispose();
        Daemons.DeleteQuietly(_root);
    }
}
