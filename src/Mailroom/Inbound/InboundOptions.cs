namespace Mailroom.Inbound;

/// <summary>Options of inbound processing, bound from <c>Mailroom:Inbound</c>.</summary>
public sealed class InboundOptions
{
    public const string SectionName = "Mailroom:Inbound";

    /// <summary>Largest attachment kept on a post (A2: 5 MB); larger ones are left out with a note.</summary>
    public long MaxAttachmentSize { get; set; } = 5 * 1024 * 1024;

    /// <summary>How often the processor looks for pending messages when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages claimed per round.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How long a claim lasts before another processor may take the message over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a message that keeps failing is marked failed.</summary>
    public int MaxAttempts { get; set; } = 5;
}
