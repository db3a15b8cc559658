namespace Mailroom.Billing;

/// <summary>The stable codes of billing's refusals.</summary>
public static class BillingProblems
{
    public const string NoCardOnFile = "billing_no_card";
    public const string InvalidQuantity = "billing_invalid_quantity";
    public const string CardDeclined = "billing_card_declined";
    public const string ProcessorUnavailable = "billing_processor_unavailable";
    public const string IdempotencyKeyMissing = "billing_idempotency_key_missing";
    public const string IdempotencyKeyReused = "billing_idempotency_key_reused";
    public const string RequestInProgress = "billing_request_in_progress";
    public const string UnknownPlan = "unknown_plan";
    public const string PlanSetByConfiguration = "plan_set_by_configuration";
    public const string PlanPinned = "plan_pinned";
    public const string PlanChangesThroughBilling = "plan_changes_through_billing";
    public const string CardNotReady = "billing_card_not_ready";
    public const string CardSetupNotComplete = "billing_card_setup_incomplete";
    public const string UnknownCycle = "billing_unknown_cycle";
    public const string CycleSetByConfiguration = "billing_cycle_set_by_configuration";
    public const string CycleDuringGrace = "billing_cycle_during_grace";
    public const string NoProcessor = "billing_no_processor";
}
