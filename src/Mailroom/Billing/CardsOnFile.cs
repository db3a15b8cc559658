using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Permissions;
using Mailroom.Plans;
using Mailroom.Storage;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Billing;

/// <summary>
/// Putting the workspace's card on file through the processor's own hosted page (Stripe Checkout
/// in setup mode), replacing and removing it. Owners and admins only; the card number is typed on
/// the processor's page, and Mailroom keeps brand, last four digits, expiry and the processor's ids.
/// </summary>
public sealed class CardsOnFile(MailroomDb db, BillingService billing, WorkspaceService workspaces, BillingPermissions permissions,
    IPaymentProcessor processor, IOptions<PlanCatalogOptions> catalog, ILogger<CardsOnFile> logger)
{
    /// <summary>The path the processor's page sends the browser back to; <c>{CHECKOUT_SESSION_ID}</c> is Stripe's placeholder.</summary>
    public const string ReturnPath = "/admin/billing/card/return";

    /// <summary>Where the Billing page's "Add a card" form posts.</summary>
    public const string StartPath = "/admin/billing/card/start";

    /// <summary>Starts a card entry; the browser goes to the returned page at the processor.</summary>
    public async Task<CardSetupStart> StartAsync(User actor, string baseUrl, CancellationToken cancellationToken = default)
    {
        permissions.RequireMayManageBilling(actor);
        RequireProcessor();
        var account = await billing.AccountAsync(cancellationToken);
        var workspace = await workspaces.GetAsync(cancellationToken);
        var root = baseUrl.TrimEnd('/');
        var start = await CallAsync(() => processor.StartCardSetupAsync(account.ProcessorCustomerId, workspace.Id, workspace.Name, catalog.Value.Currency,
            $"{root}{ReturnPath}?session_id={{CHECKOUT_SESSION_ID}}", $"{root}/admin/billing?card=cancelled", cancellationToken));
        if (account.ProcessorCustomerId != start.CustomerId)
        {
            account.ProcessorCustomerId = start.CustomerId;
            account.Version = Guid.NewGuid();
            await db.SaveChangesAsync(cancellationToken);
        }
        return start;
    }

    /// <summary>Back from the processor's page: asks the processor which card it saved, and keeps it (replacing the one before, detached at the processor).</summary>
    public async Task<CardView> CompleteAsync(User actor, string? sessionId, CancellationToken cancellationToken = default)
    {
        permissions.RequireMayManageBilling(actor);
        RequireProcessor();
        if (string.IsNullOrWhiteSpace(sessionId) || sessionId.Length > 255)
        {
            throw AppProblem.Invalid(BillingProblems.CardSetupNotComplete, "The card entry's session id is missing: add the card again from the Billing page.");
        }
        var account = await billing.AccountAsync(cancellationToken);
        SavedCard saved;
        try
        {
            saved = await CallAsync(() => processor.CompleteCardSetupAsync(sessionId, account.WorkspaceId, cancellationToken));
        }
        catch (CardSetupIncompleteException e)
        {
            throw AppProblem.Conflict(BillingProblems.CardSetupNotComplete, e.Message);
        }
        if (account.ProcessorCustomerId is { } customer && customer != saved.CustomerId)
        {
            throw AppProblem.Conflict(BillingProblems.CardSetupNotComplete, "This card entry belongs to another customer at the processor: add the card again from the Billing page.");
        }
        var before = await db.PaymentMethods.AsNoTracking().Where(p => p.WorkspaceId == account.WorkspaceId).Select(p => p.ProcessorPaymentMethodId).FirstOrDefaultAsync(cancellationToken);
        var card = await billing.SavePaymentMethodAsync(saved.CustomerId, saved.PaymentMethodId, saved.Brand, saved.Last4, saved.ExpiryMonth, saved.ExpiryYear, cancellationToken);
        if (before is not null && before != saved.PaymentMethodId)
        {
            // The replaced card stops being chargeable; if the processor is not reachable now, it stays attached there, unused.
            try
            {
                await processor.RemoveCardAsync(before, cancellationToken);
            }
            catch (PaymentProcessorUnavailableException)
            {
            }
        }
        BillingLog.CardSaved(logger, card.Brand, card.Last4, actor.Id);
        return new CardView(card.Brand, card.Last4, card.ExpiryMonth, card.ExpiryYear);
    }

    /// <summary>Removes the card on file: purchases and upgrades are refused until another is put on file, and a renewal due meanwhile is declined (grace period).</summary>
    public async Task RemoveAsync(User actor, CancellationToken cancellationToken = default)
    {
        permissions.RequireMayManageBilling(actor);
        var account = await billing.AccountAsync(cancellationToken);
        var card = await db.PaymentMethods.FirstOrDefaultAsync(p => p.WorkspaceId == account.WorkspaceId, cancellationToken);
        if (card is null)
        {
            return;
        }
        await CallAsync(async () =>
        {
            await processor.RemoveCardAsync(card.ProcessorPaymentMethodId, cancellationToken);
            return true;
        });
        db.PaymentMethods.Remove(card);
        await db.SaveChangesAsync(cancellationToken);
    }

    private void RequireProcessor()
    {
        if (!processor.ChargesMoney)
        {
            throw AppProblem.Conflict(BillingProblems.NoProcessor, "This server has no payment processor: nothing is charged, so no card is needed.");
        }
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (PaymentProcessorUnavailableException e)
        {
            throw new AppProblem(StatusCodes.Status502BadGateway, BillingProblems.ProcessorUnavailable,
                $"The payment processor could not be reached ({e.Message}): nothing was changed; try again in a moment.");
        }
    }
}
