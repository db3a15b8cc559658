namespace Mailroom.Fuzz;

/// <summary>
/// A target's own verdict that an input found a bug (a broken invariant, not an exception of
/// the code under test); thrown so AFL records the input as a crash.
/// </summary>
internal sealed class FuzzFinding(string message, Exception? inner = null) : Exception(message, inner);
