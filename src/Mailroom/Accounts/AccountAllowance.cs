using Mailroom.Billing;
using Mailroom.Plans;
using Mailroom.Storage;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Accounts;

/// <summary>
/// How many mailboxes the workspace may link (B3, B9): the plan's free accounts plus the slots
/// bought. The plan's answer is <see cref="PlanGates.MayLinkAccount"/>'s; this counts, and links a
/// mailbox beyond the free ones into a bought slot. A link counts and saves in one serialised
/// transaction, so two members racing for the last slot (on any instance) end with one account.
/// </summary>
public sealed class AccountAllowance(MailroomDb db, PlanGates gates, BillingService billing, WorkspaceService workspaces)
{
    /// <summary>Linked mailboxes, how many the workspace may have, and the plan's answer for one more.</summary>
    public sealed record Usage(int Linked, int Limit, PlanDecision Next);

    public async Task<Usage> UsageAsync(CancellationToken cancellationToken = default)
    {
        var plan = await gates.CurrentPlanAsync(cancellationToken);
        var workspace = await workspaces.GetAsync(cancellationToken);
        var linked = await db.MailAccounts.CountAsync(cancellationToken);
        var slots = await billing.SlotCountAsync(workspace.Id, cancellationToken);
        return new Usage(linked, plan.Limits.FreeEmailAccounts + slots, gates.MayLinkAccount(plan, linked, slots));
    }

    /// <summary>409 <see cref="PlanProblems.EmailAccountsReached"/> when every account the workspace may have is linked.</summary>
    public async Task RequireMayLinkAsync(CancellationToken cancellationToken = default) =>
        (await UsageAsync(cancellationToken)).Next.ThrowIfRefused();

    /// <summary>
    /// Saves a new mailbox added to the context (and whatever else is pending) if the plan still
    /// allows one more, checked inside the transaction; beyond the plan's free accounts it takes a free slot.
    /// </summary>
    public async Task SaveNewAsync(MailAccount account, CancellationToken cancellationToken = default)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.BeginSerialisedAsync("email-account-link", cancellationToken);
            var usage = await UsageAsync(cancellationToken);
            usage.Next.ThrowIfRefused();
            await db.SaveChangesAsync(cancellationToken);
            var plan = await gates.CurrentPlanAsync(cancellationToken);
            if (usage.Linked + 1 > plan.Limits.FreeEmailAccounts)
            {
                await billing.LinkIntoFreeSlotAsync(account.Id, cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
        });
    }
}
