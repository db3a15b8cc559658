using Mailroom.Accounts;
using Mailroom.Accounts.Watching;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Outbound;

/// <summary>
/// One claimed email, from its claim to its outcome: checks that may stop it (account removed or
/// inactive, a reply that came first), the send, and the outcome recorded with its activity in
/// one save. The row's status and claim are concurrency tokens, so a claim that ran out (and was
/// taken by another worker) records nothing.
/// </summary>
public sealed class OutboxDelivery(
    MailroomDb db, MailSenders senders, OutboundMessageBuilder builder, OutboxActivity activity, ThreadResolver threads, SentCopies sentCopies,
    EmailUses uses, EmailApp.EmailAppService emailApp, Permissions.AccountPermissions permissions, WatchLeases health, WriteGate gate, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxDelivery> logger)
{
    public async Task DeliverAsync(Guid emailId, string claim, CancellationToken cancellationToken) => await DeliverAsync(emailId, claim, null, cancellationToken);

    /// <param name="sessions">The worker's open SMTP sessions: this email may leave over one an earlier email of its account left open.</param>
    public async Task DeliverAsync(Guid emailId, string claim, SmtpSessions? sessions, CancellationToken cancellationToken)
    {
        var email = await db.OutboundEmails.Include(e => e.Attachments).FirstOrDefaultAsync(e => e.Id == emailId, cancellationToken);
        if (email is null || email.LeaseOwner != claim || email.Status != OutboundStatus.Sending)
        {
            return;
        }
        try
        {
            await RunAsync(email, sessions, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the claim is released when this instance starts again (or runs out).
        }
        catch (DbUpdateConcurrencyException)
        {
            // The claim ran out and another worker took the email: its outcome is that worker's to record.
        }
        catch (Exception e)
        {
            OutboundLog.DeliveryCrashed(logger, e, emailId);
        }
    }

    private async Task RunAsync(OutboundEmail email, SmtpSessions? sessions, CancellationToken cancellationToken)
    {
        var account = await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == email.AccountId, cancellationToken);
        if (account is null)
        {
            await FailAsync(email, OutboxProblems.AccountRemoved, "The email account it was to leave through was removed.", cancellationToken);
            return;
        }
        // Asked again when it leaves, not only when it was queued: a scheduled email whose author lost
        // the right to send from the account meanwhile (the grant revoked, the role's "Send email" taken
        // away, the member deactivated or made a guest) never leaves in the linker's name.
        var author = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == email.AuthorUserId, cancellationToken);
        if (author is null || !await permissions.MaySendAsync(author, account, cancellationToken) || !await permissions.MaySendEmailAsync(author, cancellationToken))
        {
            await FailAsync(email, AccountProblems.SendNotAllowed,
                $"Not sent: its author may no longer send from {account.Email}. {AccountProblems.AccessRemedy}", cancellationToken);
            return;
        }
        // Nobody is at the keyboard for a scheduled email: an account that needs re-authentication fails it with
        // the remedy. One the watcher merely could not reach (a network blip) is tried: its SMTP may well answer.
        if (email.IsScheduled && account.Health == AccountHealth.NeedsReauthentication)
        {
            await FailAsync(email, AccountProblems.AccountInactive, AccountProblems.ContRemedy, cancellationToken);
            return;
        }
        if (email.IsScheduled && email.CommentId is null && await ReplyCameFirstAsync(email, cancellationToken))
        {
            email.Status = OutboundStatus.Held;
            email.FailureCode = OutboxProblems.Held;
            email.FailureReason = "Its thread got a reply before it left.";
            Release(email);
            OutboxActivity.Held(db, email, null, clock.GetUtcNow());
            await SaveAsync(cancellationToken);
            OutboundLog.Held(logger, email.Id);
            return;
        }

        var (verdict, decision) = await uses.AtSendAsync(email.Id, cancellationToken);
        if (verdict == EmailUses.Verdict.Wait)
        {
            // The plan's last uses are on emails leaving this moment: look again in a moment.
            email.Status = email.IsScheduled && email.CommentId is null ? OutboundStatus.Scheduled : OutboundStatus.Queued;
            email.NextAttemptAt = clock.GetUtcNow() + TimeSpan.FromMilliseconds(1000 + Random.Shared.Next(2000));
            email.Attempts = Math.Max(0, email.Attempts - 1);
            Release(email);
            await SaveAsync(cancellationToken);
            return;
        }
        if (verdict == EmailUses.Verdict.Refuse)
        {
            await RefuseAtLimitAsync(email, decision, cancellationToken);
            return;
        }

        SendResult result;
        try
        {
            using var message = builder.Build(email, await emailApp.WatermarkShownAsync(cancellationToken));
            result = await senders.For(account).SendAsync(account, message, sessions, cancellationToken);
        }
        catch (SendFailure failure)
        {
            await FailedAttemptAsync(email, failure.Code, failure.Message, failure.Permanent, cancellationToken);
            if (failure.AuthenticationRefused)
            {
                // Counted with the watcher's refused logins: repeated ones mean re-authentication (a network error never does).
                var (failures, reauthenticate) = await health.RecordSendRefusedAsync(account.Id, cancellationToken);
                OutboundLog.LoginRefused(logger, account.Id, failures, reauthenticate);
            }
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not the server's answer (our bug, a blob gone): retried like a transient failure, so it ends.
            OutboundLog.DeliveryCrashed(logger, e, email.Id);
            await FailedAttemptAsync(email, "internal_error", $"Mailroom could not send it: {e.GetType().Name}.", permanent: false, cancellationToken);
            return;
        }

        if (account.LastErrorCode == AccountProblems.AuthenticationRefused)
        {
            // It logged in: earlier refusals no longer count in a row (before the outcome, so whoever sees it sent sees the account so).
            try
            {
                await health.RecordSendLoginAsync(account.Id, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                OutboundLog.DeliveryCrashed(logger, e, email.Id);
            }
        }
        var now = clock.GetUtcNow();
        email.Status = OutboundStatus.Sent;
        email.SentAt = now;
        email.ProviderMessageId = result.ProviderMessageId;
        email.FailureCode = null;
        email.FailureReason = null;
        Release(email);
        if (email.CommentId is null)
        {
            // A scheduled email enters the activity when it leaves, with its thread id.
            await activity.ShowAsync(db, email, now, cancellationToken);
        }
        if (result.ProviderMessageId is { } providerId)
        {
            await threads.RememberAsync(db, providerId, email.TaskId, email.CommentId, email.Id, ThreadIdSource.Provider, now, cancellationToken);
        }
        OutboxActivity.Sent(db, email, now);
        await SaveSentAsync(cancellationToken);
        OutboundLog.Sent(logger, email.Id, account.Id, result.ProviderMessageId);
        if (result.ServerMaxSize is { } size && size != account.SmtpMaxSize)
        {
            await db.MailAccounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.SmtpMaxSize, size), cancellationToken);
        }
        sentCopies.Enqueue(email.Id);
    }

    /// <summary>
    /// The plan's uses are all sent. A scheduled email (nobody at the keyboard, not yet in the
    /// activity) is held for its author, who is told and may cancel it or, once the plan allows,
    /// edit it to send it. One queued to leave now (two raced for the last use) fails with the reason.
    /// </summary>
    private async Task RefuseAtLimitAsync(OutboundEmail email, Plans.PlanDecision decision, CancellationToken cancellationToken)
    {
        var reason = decision.Message ?? "The plan's email uses are all sent.";
        if (email.CommentId is not null)
        {
            await FailAsync(email, decision.Code!, reason, cancellationToken);
            return;
        }
        email.Status = OutboundStatus.Held;
        email.FailureCode = decision.Code;
        email.FailureReason = Cap(reason + " Cancel it, or once the plan allows more emails, edit it to send it.");
        Release(email);
        OutboxActivity.HeldAtLimit(db, email, clock.GetUtcNow());
        await SaveAsync(cancellationToken);
        OutboundLog.HeldAtLimit(logger, email.Id);
    }

    /// <summary>Transient and attempts left: back to the queue after a back-off. Otherwise the end, with code and reason.</summary>
    private async Task FailedAttemptAsync(OutboundEmail email, string code, string reason, bool permanent, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (permanent || email.Attempts >= o.MaxAttempts)
        {
            await FailAsync(email, code, permanent ? reason : $"{reason} (gave up after {email.Attempts} attempts)", cancellationToken);
            return;
        }
        var delay = o.FirstRetryDelay * Math.Pow(2, Math.Max(0, email.Attempts - 1));
        delay = (delay < o.MaxRetryDelay ? delay : o.MaxRetryDelay) * (0.8 + Random.Shared.NextDouble() * 0.4);
        email.Status = OutboundStatus.Queued;
        email.NextAttemptAt = clock.GetUtcNow() + delay;
        email.FailureCode = code;
        email.FailureReason = Cap(reason);
        Release(email);
        await SaveAsync(cancellationToken);
        OutboundLog.Retrying(logger, email.Id, email.Attempts, code, reason, email.NextAttemptAt);
    }

    private async Task FailAsync(OutboundEmail email, string code, string reason, CancellationToken cancellationToken)
    {
        email.Status = OutboundStatus.Failed;
        email.FailureCode = code.Length <= 64 ? code : code[..64];
        email.FailureReason = Cap(reason);
        Release(email);
        OutboxActivity.Failed(db, email, clock.GetUtcNow());
        await SaveAsync(cancellationToken);
        OutboundLog.Failed(logger, email.Id, code, reason);
    }

    /// <summary>A received email in the thread after the scheduled one was written (the watcher holds it too; this closes the gap).</summary>
    private Task<bool> ReplyCameFirstAsync(OutboundEmail email, CancellationToken cancellationToken) =>
        email.ThreadCommentId is { } thread
            ? db.Comments.AnyAsync(c => c.TaskId == email.TaskId && c.ParentCommentId == thread && c.FromEmail && c.OutboundEmailId == null && c.CreatedAt > email.CreatedAt, cancellationToken)
            : Task.FromResult(false);

    private static void Release(OutboundEmail email)
    {
        email.LeaseOwner = null;
        email.LeaseUntil = null;
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>The Sent status and its use, counted by one increment, in one transaction.</summary>
    private async Task SaveSentAsync(CancellationToken cancellationToken)
    {
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await EmailUses.CountOneAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static string Cap(string reason) => reason.Length <= 2000 ? reason : reason[..2000];
}
