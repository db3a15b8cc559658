namespace Mailroom.Outbound;

/// <summary>Where an email of the outbox is. Stored by name.</summary>
public enum OutboundStatus
{
    /// <summary>Waiting for its send time; seen by its author only, editable and cancellable.</summary>
    Scheduled = 0,
    /// <summary>Due now: the worker will send it (or is retrying after a transient failure).</summary>
    Queued = 1,
    /// <summary>Claimed by a worker that is handing it to the provider.</summary>
    Sending = 2,
    Sent = 3,
    /// <summary>Stopped for good: a permanent refusal, or retries exhausted; the code and reason say why.</summary>
    Failed = 4,
    Cancelled = 5,
    /// <summary>A scheduled email whose thread got a reply before it left: kept back, its author told.</summary>
    Held = 6,
}
