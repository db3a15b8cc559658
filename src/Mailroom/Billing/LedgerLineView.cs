namespace Mailroom.Billing;

public sealed record LedgerLineView(Guid Id, DateTimeOffset At, LedgerKind Kind, LedgerOutcome Outcome, string Description, int Quantity,
    long UnitPriceCents, int DaysLeft, int DaysInCycle, long AmountCents, string Currency, string Arithmetic, string? ProcessorChargeId,
    string? DeclineCode, string? DeclineMessage)
{
    public static LedgerLineView Of(LedgerLine l) => new(l.Id, l.At, l.Kind, l.Outcome, l.Description, l.Quantity, l.UnitPriceCents,
        l.DaysLeft, l.DaysInCycle, l.AmountCents, l.Currency, l.Arithmetic, l.ProcessorChargeId, l.DeclineCode, l.DeclineMessage);
}
