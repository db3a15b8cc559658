using System.Text.Json;
using Mailroom.Inbound;

namespace Mailroom.Fuzz;

/// <summary>
/// The input is a raw email, read exactly as <c>mailroom inspect FILE.eml</c> reads it
/// (<see cref="InspectCommand"/>: <see cref="MessageReader.Read"/>, the reply split behind
/// <c>Visible</c>/<c>Quoted</c>, HTML to text, sanitising, the JSON report).
/// </summary>
/// <remarks>
/// Beyond a crash of the process, three answers count as bugs: inspect failing, a read that
/// needed the reader's last-resort catch (the message would be lost as <c>malformed</c>), and
/// a programming error (index out of range, null dereference…) thrown in Mailroom's own code
/// and swallowed by one of the catches on the way (the reply split falls back to the whole
/// text, for example): see <see cref="SwallowedBugs"/>.
/// </remarks>
internal static class MessageTarget
{
    private static readonly string InputPath = Path.Combine(
        Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(),
        $"mailroom-fuzz-{Environment.ProcessId}.eml");

    // A child killed on a timeout leaves its file behind: bench/fuzz.sh removes those.
    static MessageTarget() => AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(InputPath);

    public static void Run(byte[] input)
    {
        File.WriteAllBytes(InputPath, input);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code;
        using (var watch = SwallowedBugs.Watch())
        {
            code = InspectCommand.Run([InputPath], stdout, stderr);
            watch.ThrowIfAny();
        }

        if (code != InspectCommand.Ok)
        {
            throw new FuzzFinding($"inspect exited with {code}: {stderr}");
        }

        if (Program.Verbose)
        {
            Console.WriteLine(stdout);
        }

        using var report = JsonDocument.Parse(stdout.ToString());
        var reason = report.RootElement.GetProperty("reason").GetString() ?? "";
        if (reason.StartsWith("could not be read", StringComparison.Ordinal))
        {
            throw new FuzzFinding($"the reader needed its last-resort catch: {reason}");
        }
    }
}
