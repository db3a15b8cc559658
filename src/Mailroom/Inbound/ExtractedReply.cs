namespace Mailroom.Inbound;

/// <summary>
/// A reply split by <see cref="ReplyExtractor"/>: what the sender wrote now, and what was folded
/// away (quoted history, attribution lines, signatures) so a reader can still unfold it.
/// </summary>
/// <param name="Visible">The new content, without leading or trailing blank lines.</param>
/// <param name="Quoted">The removed lines, in their original order; empty when nothing was removed.</param>
public sealed record ExtractedReply(string Visible, string Quoted);
