using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Billing;

/// <summary>
/// Turns a pending ledger line into money: asks the processor with the line's idempotency key,
/// then records the outcome and what was bought in one transaction, only if the line is still
/// pending. A crash between the two leaves the line pending; asking again with the same key is
/// one charge at the processor, and the second recording finds nothing pending.
/// </summary>
public sealed class LedgerCharger(MailroomDb db, IPaymentProcessor processor, ILogger<LedgerCharger> logger)
{
    /// <param name="onCharged">What the line buys (slots, a renewed cycle), saved with the outcome; run only by the request that settles the line.</param>
    public async Task<LedgerLine> SettleAsync(LedgerLine line, string? customerId, PaymentMethodOnFile? card, Func<Task> onCharged, CancellationToken cancellationToken)
    {
        var outcome = LedgerOutcome.Charged;
        var amount = line.AmountCents;
        var arithmetic = line.Arithmetic;
        string? chargeId = null, declineCode = null, declineMessage = null;
        if (!processor.ChargesMoney)
        {
            (outcome, amount) = (LedgerOutcome.Recorded, 0);
            arithmetic += ", not charged: this server has no payment processor";
        }
        else if (amount == 0)
        {
            outcome = LedgerOutcome.Recorded;
        }
        else if (amount < processor.MinimumChargeCents && line.Kind is LedgerKind.SlotPurchase or LedgerKind.PlanChange)
        {
            outcome = LedgerOutcome.Deferred;
            arithmetic += $", below the smallest charge ({Proration.Money(processor.MinimumChargeCents)}): added to the next renewal";
        }
        else if (customerId is null || card is null)
        {
            (outcome, declineCode, declineMessage) = (LedgerOutcome.Declined, "no_card", "There is no card on file.");
        }
        else
        {
            ChargeResult result;
            try
            {
                result = await processor.ChargeAsync(new ChargeRequest(customerId, card.ProcessorPaymentMethodId, amount, line.Currency,
                    line.Description, $"mailroom-{line.WorkspaceId:N}-{line.IdempotencyKey}"), cancellationToken);
            }
            catch (PaymentProcessorUnavailableException e)
            {
                BillingLog.ProcessorUnavailable(logger, e);
                throw;
            }
            outcome = result.Succeeded ? LedgerOutcome.Charged : LedgerOutcome.Declined;
            (chargeId, declineCode, declineMessage) = (result.ChargeId, result.DeclineCode, result.DeclineMessage);
        }
        if (outcome == LedgerOutcome.Declined)
        {
            BillingLog.Declined(logger, amount, declineCode);
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var settled = await db.LedgerLines.Where(l => l.Id == line.Id && l.Outcome == LedgerOutcome.Pending).ExecuteUpdateAsync(s => s
                .SetProperty(l => l.Outcome, outcome)
                .SetProperty(l => l.AmountCents, amount)
                .SetProperty(l => l.Arithmetic, arithmetic)
                .SetProperty(l => l.ProcessorChargeId, chargeId)
                .SetProperty(l => l.DeclineCode, declineCode)
                .SetProperty(l => l.DeclineMessage, declineMessage), cancellationToken);
            if (settled == 1 && outcome != LedgerOutcome.Declined)
            {
                await onCharged();
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return await db.LedgerLines.AsNoTracking().SingleAsync(l => l.Id == line.Id, cancellationToken);
    }
}
