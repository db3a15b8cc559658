namespace Mailroom.Billing;

/// <summary>The workspace's billing: its cycle, when it renews, and a renewal that failed (the grace period).</summary>
public sealed class BillingAccount
{
    public Guid WorkspaceId { get; set; }
    public BillingCycle Cycle { get; set; }

    /// <summary>The day (UTC) the current cycle ends and the next one is charged.</summary>
    public DateOnly RenewsOn { get; set; }

    /// <summary>The day of the month cycles renew on, so that a cycle renewing on the 31st comes back to the 31st after February.</summary>
    public int AnchorDay { get; set; }

    /// <summary>The customer at the payment processor (Stripe's <c>cus_…</c>), once a card was put on file.</summary>
    public string? ProcessorCustomerId { get; set; }

    /// <summary>Set when the renewal charge failed: the slots are kept until then, and the charge retried.</summary>
    public DateTimeOffset? GraceEndsAt { get; set; }

    /// <summary>Charges tried for the renewal due on <see cref="RenewsOn"/>; each try has its own idempotency key.</summary>
    public int RenewalAttempts { get; set; }

    public DateTimeOffset? LastRenewalAttemptAt { get; set; }

    /// <summary>A smaller plan the owner chose: the workspace moves to it at <see cref="RenewsOn"/> (a downgrade takes effect at renewal).</summary>
    public string? PendingPlanId { get; set; }

    /// <summary>The other cycle the owner chose: the renewal on <see cref="RenewsOn"/> starts it (charged for a whole cycle of it).</summary>
    public BillingCycle? PendingCycle { get; set; }

    /// <summary>Optimistic concurrency: two instances renewing at once, one wins.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();
}
