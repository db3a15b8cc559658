using System.ComponentModel.DataAnnotations;

namespace Mailroom.Outbound;

/// <summary>How the outbox worker sends and retries, bound from <c>Mailroom:Outbox</c>.</summary>
public sealed class OutboxOptions : IValidatableObject
{
    public const string SectionName = "Mailroom:Outbox";

    /// <summary>Attempts before a transiently failing email is given up (the default spreads them over some 4 hours).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first transient failure; each next one doubles it, with ±20% jitter.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long a claim lasts: longer than the slowest send, so a live worker never loses its email to another.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest the worker sleeps without looking (for emails queued by other instances).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Emails claimed per round, and how many are sent at once.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 16;

    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>How long the worker keeps its logged-in SMTP sessions open once nothing is due, for the next email of a burst.</summary>
    public TimeSpan KeepSessionsOpen { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The limit for a Custom server that advertises no SIZE (presets have the provider's own).</summary>
    public long DefaultSizeLimitBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>How long to look for the copy a provider files in Sent itself (to learn the id it gave the message).</summary>
    public TimeSpan SentCopyWindow { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay)
        {
            yield return new ValidationResult("FirstRetryDelay must be positive and at most MaxRetryDelay.", [nameof(FirstRetryDelay)]);
        }
        if (LeaseDuration < TimeSpan.FromSeconds(5) || PollInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("LeaseDuration must be at least 5 s and PollInterval positive.", [nameof(LeaseDuration)]);
        }
    }
}
