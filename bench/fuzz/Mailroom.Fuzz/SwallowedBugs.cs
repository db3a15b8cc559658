using System.Diagnostics;

namespace Mailroom.Fuzz;

/// <summary>
/// Records the exceptions that mean a programming error (not bad input) when they are thrown
/// with Mailroom's code as the nearest caller outside the framework, even if a catch later
/// hides them. MimeKit's and AngleSharp's own exceptions are theirs to handle and are not
/// counted, nor are the exceptions that are the documented answer to bad input
/// (<see cref="FormatException"/>, <see cref="System.Text.DecoderFallbackException"/>,
/// unknown charsets).
/// </summary>
internal sealed class SwallowedBugs : IDisposable
{
    private static readonly Type[] BugTypes =
    [
        typeof(IndexOutOfRangeException), typeof(ArgumentOutOfRangeException), typeof(ArgumentNullException),
        typeof(NullReferenceException), typeof(InvalidCastException), typeof(InvalidOperationException),
        typeof(KeyNotFoundException), typeof(OverflowException), typeof(DivideByZeroException),
        typeof(System.Text.RegularExpressions.RegexMatchTimeoutException), typeof(InsufficientExecutionStackException),
        typeof(OutOfMemoryException),
    ];

    // The runtime's own throw helpers live in Internal.Runtime.*; the harness is Mailroom.Fuzz.
    private static readonly string[] Framework = ["System", "Microsoft", "Internal", "SharpFuzz", "Mailroom.Fuzz"];

    [ThreadStatic]
    private static bool _inHandler;

    private readonly List<string> _found = [];

    private SwallowedBugs() => AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;

    public static SwallowedBugs Watch() => new();

    public void ThrowIfAny()
    {
        if (_found.Count > 0)
        {
            throw new FuzzFinding($"a bug was thrown in Mailroom's code and caught on the way:\n{_found[0]}");
        }
    }

    public void Dispose() => AppDomain.CurrentDomain.FirstChanceException -= OnFirstChance;

    private void OnFirstChance(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
    {
        if (_inHandler || _found.Count > 0 || !BugTypes.Any(t => t.IsInstanceOfType(e.Exception)))
        {
            return;
        }

        _inHandler = true;
        try
        {
            var stack = new StackTrace(1, fNeedFileInfo: false);
            var owner = stack.GetFrames()
                .Select(f => f.GetMethod()?.DeclaringType?.Namespace ?? "")
                .FirstOrDefault(ns => ns.Length > 0 && !Framework.Any(f => ns.StartsWith(f, StringComparison.Ordinal)));
            if (Program.Verbose)
            {
                Console.Error.WriteLine($"first-chance {e.Exception.GetType().Name} (nearest caller outside the framework: {owner ?? "none"}): {e.Exception.Message}");
            }

            if (owner is not null && owner.StartsWith("Mailroom", StringComparison.Ordinal))
            {
                _found.Add($"{e.Exception.GetType().Name}: {e.Exception.Message}\n{stack}");
            }
        }
        finally
        {
            _inHandler = false;
        }
    }
}
