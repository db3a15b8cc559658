using Mailroom.Plans;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Outbound;

/// <summary>
/// The plan's email uses (B3): every email sent from a task counts one when it leaves. The count
/// is the workspace's <c>EmailUses</c> counter, raised by one SQL increment in the same
/// transaction that records the email Sent (so two instances never lose one, and deleting a task
/// gives none back). Emails due to leave now (queued, or being sent) are reserved: at the limit a
/// new one is refused before anything is stored. At send time only the emails already leaving
/// count with the sent ones, so an email is never sent past the limit, whichever instance sends.
/// </summary>
public sealed class EmailUses(MailroomDb db, PlanGates gates)
{
    /// <summary>What the Integrations page and the API show: sent so far, and the plan's limit (null: unlimited).</summary>
    public sealed record Usage(int Sent, int? Limit, PlanDecision Next);

    public async Task<Usage> UsageAsync(CancellationToken cancellationToken = default)
    {
        var plan = await gates.CurrentPlanAsync(cancellationToken);
        var sent = await db.Workspaces.OrderBy(w => w.CreatedAt).Select(w => w.EmailUses).FirstOrDefaultAsync(cancellationToken);
        return new Usage(sent, plan.Limits.EmailUses, gates.MaySend(plan, sent));
    }

    /// <summary>
    /// Refuses (409 <see cref="PlanProblems.EmailUsesReached"/>) one more email to leave now when
    /// the sent ones and those already due to leave reach the plan's limit.
    /// <paramref name="except"/> is the email being changed, not counted against itself.
    /// </summary>
    public async Task RequireMaySendNowAsync(Guid? except, CancellationToken cancellationToken = default)
    {
        var plan = await gates.CurrentPlanAsync(cancellationToken);
        if (plan.Limits.EmailUses is null)
        {
            return;
        }
        var id = except ?? Guid.Empty;
        // One statement, so one snapshot: an email turning Sent between two reads is never missed.
        var reserved = await db.Workspaces.OrderBy(w => w.CreatedAt)
            .Select(w => w.EmailUses + db.OutboundEmails.Count(e => (e.Status == OutboundStatus.Queued || e.Status == OutboundStatus.Sending) && e.Id != id))
            .FirstOrDefaultAsync(cancellationToken);
        gates.MaySend(plan, reserved).ThrowIfRefused();
    }

    /// <summary>What the worker may do with a claimed email, the plan's limit in view.</summary>
    public enum Verdict { Send, Wait, Refuse }

    /// <summary>
    /// Send: within the limit counting the other emails leaving now. Wait: the last uses are
    /// taken by emails leaving this very moment (try again shortly; one of them may fail). Refuse:
    /// the sent emails reach the limit (with the plan's decision, for the reason shown).
    /// </summary>
    public async Task<(Verdict Verdict, PlanDecision Decision)> AtSendAsync(Guid emailId, CancellationToken cancellationToken = default)
    {
        var plan = await gates.CurrentPlanAsync(cancellationToken);
        if (plan.Limits.EmailUses is null)
        {
            return (Verdict.Send, PlanDecision.Yes(plan));
        }
        var counts = await db.Workspaces.OrderBy(w => w.CreatedAt)
            .Select(w => new { Sent = w.EmailUses, Leaving = db.OutboundEmails.Count(e => e.Status == OutboundStatus.Sending && e.Id != emailId) })
            .FirstAsync(cancellationToken);
        var sent = gates.MaySend(plan, counts.Sent);
        if (!sent.Allowed)
        {
            return (Verdict.Refuse, sent);
        }
        var withLeaving = gates.MaySend(plan, counts.Sent + counts.Leaving);
        return (withLeaving.Allowed ? Verdict.Send : Verdict.Wait, withLeaving);
    }

    /// <summary>Counts one use; the caller runs it in the transaction that records the email Sent.</summary>
    public static Task CountOneAsync(MailroomDb context, CancellationToken cancellationToken) =>
        context.Workspaces.ExecuteUpdateAsync(s => s.SetProperty(w => w.EmailUses, w => w.EmailUses + 1), cancellationToken);

    /// <summary>
    /// The plan was upgraded: the authors of emails held at the old limit are told they may send
    /// them now (by editing them; nothing leaves on its own, its moment may have passed). Added to
    /// <paramref name="db"/>'s changes, saved with the plan change.
    /// </summary>
    public static async Task TellHeldAuthorsAsync(MailroomDb db, Plan plan, int sent, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (plan.Limits.EmailUses is { } limit && sent >= limit)
        {
            return;
        }
        var held = await db.OutboundEmails.AsNoTracking()
            .Where(e => e.Status == OutboundStatus.Held && e.FailureCode == PlanProblems.EmailUsesReached)
            .Select(e => new { e.AuthorUserId, e.TaskId, e.Subject }).ToListAsync(cancellationToken);
        foreach (var email in held)
        {
            var text = $"The workspace is on {plan.Name} now: your held email \"{email.Subject}\" can be sent. Open it in its task and edit its time to send it, or cancel it.";
            db.Notifications.Add(new Notifications.Notification
            {
                UserId = email.AuthorUserId, TaskId = email.TaskId, Text = text.Length <= 1000 ? text : text[..1000], CreatedAt = at,
            });
        }
    }
}
