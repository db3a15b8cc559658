namespace Mailroom.Billing;

internal static partial class BillingLog
{
    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Billing: {Quantity} slot(s) bought by {UserId} ({Outcome}, {AmountCents} cents, charge {ChargeId})")]
    public static partial void SlotsBought(ILogger logger, int quantity, Guid? userId, LedgerOutcome outcome, long amountCents, string? chargeId);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Billing: a charge of {AmountCents} cents was declined ({DeclineCode})")]
    public static partial void Declined(ILogger logger, long amountCents, string? declineCode);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "Billing: the payment processor could not be asked; the line stays pending until retried")]
    public static partial void ProcessorUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Information, Message = "Billing: renewal of {RenewsOn}: {Removed} empty slot(s) removed, {Kept} kept, {Outcome}")]
    public static partial void Renewed(ILogger logger, DateOnly renewsOn, int removed, int kept, LedgerOutcome outcome);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Warning, Message = "Billing: the renewal of {RenewsOn} stayed unpaid through the grace period; {Removed} slot(s) removed")]
    public static partial void GraceEnded(ILogger logger, DateOnly renewsOn, int removed);

    [LoggerMessage(EventId = 8106, Level = LogLevel.Error, Message = "Billing: the renewal check failed; it runs again at the next interval")]
    public static partial void RenewalCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8107, Level = LogLevel.Information, Message = "Billing: plan change to {PlanId} by {UserId} ({Outcome}, {AmountCents} cents, charge {ChargeId})")]
    public static partial void PlanChanged(ILogger logger, string? planId, Guid? userId, LedgerOutcome outcome, long amountCents, string? chargeId);

    [LoggerMessage(EventId = 8108, Level = LogLevel.Information, Message = "Billing: card on file {Brand} {Last4} saved by {UserId}")]
    public static partial void CardSaved(ILogger logger, string brand, string last4, Guid? userId);

    [LoggerMessage(EventId = 8109, Level = LogLevel.Information, Message = "Billing: cycle change to {Cycle} by {UserId}, from {RenewsOn}")]
    public static partial void CycleChanged(ILogger logger, BillingCycle cycle, Guid? userId, DateOnly renewsOn);
}
