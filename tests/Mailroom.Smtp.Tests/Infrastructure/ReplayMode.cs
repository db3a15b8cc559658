namespace Mailroom.Smtp.Tests.Infrastructure;

/// <summary>How a transcript's client bytes are cut before they reach the server.</summary>
public enum ReplayMode
{
    /// <summary>Everything in one write, before reading anything: the extreme of pipelining.</summary>
    Whole,

    /// <summary>One write per line, reading the expected replies in between.</summary>
    LineByLine,

    /// <summary>One write per byte: every buffer boundary the parser could mishandle.</summary>
    ByteByByte,
}
