using System.Diagnostics;
using SharpFuzz;

namespace Mailroom.Fuzz;

/// <summary>
/// <c>Mailroom.Fuzz smtp|message</c> under afl-fuzz (input on stdin, see bench/fuzz.sh), or
/// <c>Mailroom.Fuzz replay smtp|message FILE...</c> to run saved inputs (a crash or hang AFL
/// found) outside AFL and see what they do and how long they take.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Action<byte[]>> Targets = new(StringComparer.Ordinal)
    {
        ["smtp"] = SmtpTarget.Run,
        ["message"] = MessageTarget.Run,
    };

    /// <summary>With FUZZ_VERBOSE=1, replay prints what each target made of its input.</summary>
    public static bool Verbose { get; } = Environment.GetEnvironmentVariable("FUZZ_VERBOSE") == "1";

    private const string Usage = "usage: Mailroom.Fuzz smtp|message  |  Mailroom.Fuzz replay smtp|message FILE...";

    public static int Main(string[] args)
    {
        if (args is ["replay", var name, .. var files] && Targets.TryGetValue(name, out var replayed) && files.Length > 0)
        {
            return Replay(replayed, files);
        }

        if (args is not [var target] || !Targets.TryGetValue(target, out var run))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        // Out of process: a stack overflow or a hang kills only the child, which SharpFuzz
        // restarts; in-process, AFL's kill on a timeout would end the whole fuzzing run.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            run(buffer.ToArray());
        });
        return 0;
    }

    private static unsafe int Replay(Action<byte[]> run, string[] files)
    {
        // The instrumented assemblies write their coverage there; outside AFL, into a scratch map.
        SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(65536);
        var failed = 0;
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            var clock = Stopwatch.StartNew();
            try
            {
                run(input);
                Console.WriteLine($"ok     {clock.ElapsedMilliseconds,7} ms  {input.Length,8} B  {file}");
            }
            catch (Exception ex)
            {
                failed++;
                Console.WriteLine($"FAILED {clock.ElapsedMilliseconds,7} ms  {input.Length,8} B  {file}");
                Console.WriteLine(ex);
            }
        }

        return failed == 0 ? 0 : 1;
    }
}
