using Mailroom.Storage;

namespace Mailroom.Billing;

/// <summary>One line of the workspace's ledger: what was bought or renewed, how its amount was computed, and what the processor said.</summary>
public sealed class LedgerLine
{
    public Guid Id { get; set; } = Ids.New();
    public Guid WorkspaceId { get; set; }
    public DateTimeOffset At { get; set; }
    public LedgerKind Kind { get; set; }
    public LedgerOutcome Outcome { get; set; }
    public required string Description { get; set; }
    public int Quantity { get; set; }
    public long UnitPriceCents { get; set; }
    public int DaysLeft { get; set; }
    public int DaysInCycle { get; set; }

    /// <summary>What the processor was asked to charge (0 when nothing was, e.g. without a processor).</summary>
    public long AmountCents { get; set; }

    public required string Currency { get; set; }

    /// <summary>The computation as a person checks it, e.g. "2 × $24.00 × 307/366 days = $40.26".</summary>
    public required string Arithmetic { get; set; }

    /// <summary>The processor's id of the charge (Stripe's PaymentIntent <c>pi_…</c>).</summary>
    public string? ProcessorChargeId { get; set; }

    /// <summary>Unique per workspace: a request retried with the same key finds this line instead of charging again.</summary>
    public required string IdempotencyKey { get; set; }

    /// <summary>For a plan change (and a renewal): the plan the line is about, by catalog id.</summary>
    public string? PlanId { get; set; }

    /// <summary>For a cycle change: the cycle the line is about.</summary>
    public BillingCycle? Cycle { get; set; }

    public Guid? UserId { get; set; }
    public string? DeclineCode { get; set; }
    public string? DeclineMessage { get; set; }

    /// <summary>For a <see cref="LedgerOutcome.Deferred"/> line: the renewal line that charged it.</summary>
    public Guid? SettledByLineId { get; set; }
}
