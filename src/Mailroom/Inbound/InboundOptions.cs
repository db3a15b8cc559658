using System.ComponentModel.DataAnnotations;

namespace Mailroom.Inbound;

/// <summary>Options of inbound processing, bound from <c>Mailroom:Inbound</c>.</summary>
public sealed class InboundOptions
{
    public const string SectionName = "Mailroom:Inbound";

    /// <summary>Largest attachment kept on a post (A2: 5 MB); larger ones are left out with a note.</summary>
    public long MaxAttachmentSize { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// Messages up to this size are committed inside their database row at intake (one group
    /// commit for many messages); larger ones go straight to the blob store.
    /// </summary>
    public int InlineRawLimit { get; set; } = 64 * 1024;

    /// <summary>How often the processor looks for pending messages when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages claimed per round.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// How long a claim lasts before another server may take the message over (a server that
    /// restarts releases its own claims at once). Posting twice is prevented by a unique index
    /// whatever the lease, so this only trades take-over delay against wasted work.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Intake rate (messages per second) above which the processor steps aside between batches,
    /// so that a burst of mail is accepted at full speed; 0 turns this off.
    /// </summary>
    public int BusyIntakeRate { get; set; } = 300;

    /// <summary>
    /// The longest the processor steps aside in a row while the intake is busy; it then processes
    /// for at least as long before it steps aside again.
    /// </summary>
    public TimeSpan MaxStepAside { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Attempts before a message that keeps failing, or that the server stopped while processing
    /// (a crash, a kill), is quarantined: marked failed, kept, and never claimed again by itself.
    /// </summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// The longest one message may take to process; a message that takes longer is stopped and
    /// quarantined, so the emails behind it are not held up.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ProcessingBudget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>MIME parts read from one message; further parts are left out with a note.</summary>
    [Range(1, 1_000_000)]
    public int MaxParts { get; set; } = 1000;

    /// <summary>Characters of HTML shown as HTML (sanitised); a larger HTML body is shown as text, with a note.</summary>
    [Range(1, int.MaxValue)]
    public int MaxHtmlSize { get; set; } = 2 * 1024 * 1024;

    /// <summary>Tags of HTML shown as HTML; HTML with more is shown as text, with a note.</summary>
    [Range(1, int.MaxValue)]
    public int MaxHtmlTags { get; set; } = 20_000;

    /// <summary>Nesting depth of HTML shown as HTML; deeper HTML is shown as text, with a note.</summary>
    [Range(1, 100_000)]
    public int MaxHtmlNesting { get; set; } = 512;

    /// <summary>Characters of text kept from each text part of a message; the rest is cut, with a note (the original email keeps it all).</summary>
    [Range(1, int.MaxValue)]
    public int MaxTextLength { get; set; } = 1_000_000;

    /// <summary>Bytes of header block read; a message with a larger one is kept unread as malformed.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxHeaderSize { get; set; } = 1024 * 1024;

    /// <summary>How long a recipient refused at RCPT stays in the inbound log (from the last time it was refused).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan RefusalRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Refusal rows kept at most; the oldest go first, so a flood of refused addresses never fills the disk.</summary>
    [Range(1, 10_000_000)]
    public int MaxRefusals { get; set; } = 100_000;

    /// <summary>A refusal repeated (same address, sender and reason) within this time of the last one is counted on its row, not added.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RefusalCollapseWindow { get; set; } = TimeSpan.FromHours(1);
}
