namespace Mailroom.Billing;

public enum LedgerOutcome
{
    /// <summary>Written before the processor is asked, so a crash or a retry never charges twice (the same idempotency key resumes it).</summary>
    Pending,

    /// <summary>The processor took the money.</summary>
    Charged,

    /// <summary>The processor refused the charge; nothing was bought.</summary>
    Declined,

    /// <summary>Nothing to charge (no payment processor on this server, or a line that is not a charge).</summary>
    Recorded,

    /// <summary>Below the processor's smallest charge: added to the next renewal's charge instead.</summary>
    Deferred,
}
