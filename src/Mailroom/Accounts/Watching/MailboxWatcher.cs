using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Mailroom.Outbound;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit.Utils;

namespace Mailroom.Accounts.Watching;

/// <summary>
/// One account's watch (issue 11, item 8): connect and log in through <see cref="MailConnector"/>,
/// open the INBOX read-only (no flag is ever set, and <c>\Seen</c> means nothing here: mail read
/// elsewhere is still looked at), catch up from the checkpoint, then wait in IDLE (RFC 2177) or
/// poll, and store every message that answers a task's thread. Async all the way down: a
/// thousand accounts waiting in IDLE are a thousand sockets, not a thousand threads.
/// </summary>
public sealed class MailboxWatcher(
    IServiceScopeFactory scopes, MailConnector connector, AccountCredentials credentials, WatchLeases leases, ReplyImporter importer,
    IOptions<WatchOptions> options, TimeProvider clock, ILogger<MailboxWatcher> logger)
{
    /// <summary>Watches until <paramref name="cancellationToken"/> (lease lost, account removed, server stopping) or until the account needs re-authentication.</summary>
    public async Task RunAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        await leases.ForgetOldRefusalsAsync(accountId, cancellationToken);
        var delay = o.RetryMin;
        while (!cancellationToken.IsCancellationRequested)
        {
            var account = await LoadAsync(accountId, cancellationToken);
            if (account is null || account.Health == AccountHealth.NeedsReauthentication)
            {
                WatchLog.Stopped(logger, accountId, account is null ? "the account was removed" : "it needs re-authentication");
                return;
            }
            IImapClient client;
            try
            {
                client = await LogInAsync(account, cancellationToken);
            }
            catch (AuthenticationException)
            {
                var (failures, reauthenticate) = await leases.RecordRefusedAsync(accountId, cancellationToken);
                if (reauthenticate)
                {
                    WatchLog.NeedsReauthentication(logger, accountId, account.Email, failures);
                    return;
                }
                WatchLog.Refused(logger, accountId, account.Email, failures);
                await WaitAsync(delay, cancellationToken);
                delay = Next(delay);
                continue;
            }
            catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
            {
                var failures = await leases.RecordUnreachableAsync(accountId, cancellationToken);
                WatchLog.Unreachable(logger, e, accountId, account.Email, account.ImapHost, account.ImapPort, failures, delay);
                await WaitAsync(delay, cancellationToken);
                delay = Next(delay);
                continue;
            }
            delay = o.RetryMin;
            try
            {
                await leases.RecordConnectedAsync(accountId, cancellationToken);
                WatchLog.Watching(logger, accountId, account.Email);
                await WatchAsync(account, client, cancellationToken);
            }
            catch (LeaseLostException)
            {
                WatchLog.LeaseLost(logger, accountId);
                return;
            }
            catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
            {
                // Dropped after a good login (the server restarted, a NAT forgot us): reconnect soon;
                // if the server is really gone, the next connect says so and the account shows it.
                WatchLog.Dropped(logger, e, accountId, e.GetType().Name);
                await WaitAsync(o.RetryMin, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                WatchLog.Failed(logger, e, accountId, delay);
                await WaitAsync(delay, cancellationToken);
                delay = Next(delay);
            }
            finally
            {
                await CloseAsync(client);
            }
        }
    }

    /// <summary>One login; refused, once more with fresh credentials (an OAuth token refreshed), then it counts as refused.</summary>
    private async Task<IImapClient> LogInAsync(MailAccount account, CancellationToken cancellationToken)
    {
        try
        {
            return await connector.OpenImapAsync(account, await credentials.GetAsync(account, afterRefusal: false, cancellationToken), cancellationToken);
        }
        catch (AuthenticationException)
        {
            return await connector.OpenImapAsync(account, await credentials.GetAsync(account, afterRefusal: true, cancellationToken), cancellationToken);
        }
    }

    private async Task WatchAsync(MailAccount account, IImapClient client, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var watch = await leases.LoadAsync(account.Id, cancellationToken) ?? throw new LeaseLostException();
        long validity = inbox.UidValidity;
        // The count before each catch-up looks: mail whose EXISTS came in during the catch-up's own
        // commands raised no event (none is listened to then), and IDLE will not say it again; a
        // count that moved since means look again before idling, or it waits for the next mail.
        var counted = inbox.Count;
        var last = watch.UidValidity == validity ? watch.LastUid : await ReseedAsync(account, inbox, watch.UidValidity, cancellationToken);
        last = await CatchUpAsync(account, inbox, validity, last, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (inbox.Count != counted)
            {
                // Arrived while catching up: look again at once.
            }
            else if (client.Capabilities.HasFlag(ImapCapabilities.Idle))
            {
                // IDLE ends when mail arrives, when it is due to be re-issued, or when we stop.
                using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                done.CancelAfter(o.IdleRefresh);
                void Arrived(object? sender, EventArgs e) => done.Cancel();
                inbox.CountChanged += Arrived;
                try
                {
                    await client.IdleAsync(done.Token, cancellationToken);
                }
                finally
                {
                    inbox.CountChanged -= Arrived;
                }
            }
            else
            {
                await Task.Delay(o.PollInterval, clock, cancellationToken);
            }
            cancellationToken.ThrowIfCancellationRequested();
            // The watchdog: a half-open connection (the peer gone without a FIN) answers nothing.
            using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                budget.CancelAfter(o.WatchdogTimeout);
                await client.NoOpAsync(budget.Token);
            }
            if (inbox.UidValidity != validity)
            {
                var before = validity;
                validity = inbox.UidValidity;
                last = await ReseedAsync(account, inbox, before, cancellationToken);
            }
            counted = inbox.Count;
            last = await CatchUpAsync(account, inbox, validity, last, cancellationToken);
        }
    }

    /// <summary>Looks at every message after the checkpoint, in UID order; returns the new checkpoint.</summary>
    private async Task<long> CatchUpAsync(MailAccount account, IMailFolder inbox, long validity, long last, CancellationToken cancellationToken)
    {
        if (last >= uint.MaxValue)
        {
            return last;
        }
        var range = new UniqueIdRange(new UniqueId((uint)validity, (uint)(last + 1)), UniqueId.MaxValue);
        // "n:*" always names the last message, even when its UID is below n (RFC 9051 6.4.9): filtered.
        var uids = (await inbox.SearchAsync(SearchQuery.Uids(range), cancellationToken)).Where(u => u.Id > last).OrderBy(u => u.Id).ToList();
        return await LookAtAsync(account, inbox, validity, uids, last, cancellationToken);
    }

    /// <summary>
    /// A new UIDVALIDITY (or the first look at the mailbox): the old UIDs mean nothing now, so the
    /// mail of the last <see cref="WatchOptions.ReseedWindow"/> is looked at again, and what is
    /// already in Mailroom (by Message-ID) is passed over. Returns the new checkpoint.
    /// </summary>
    private async Task<long> ReseedAsync(MailAccount account, IMailFolder inbox, long? oldValidity, CancellationToken cancellationToken)
    {
        long validity = inbox.UidValidity;
        var since = clock.GetUtcNow() - options.Value.ReseedWindow;
        WatchLog.UidValidityChanged(logger, account.Id, oldValidity, validity, since);
        // SEARCH SINCE compares dates, not times (RFC 9051 6.4.4): a day more rather than one less.
        var found = (await inbox.SearchAsync(SearchQuery.DeliveredAfter(since.UtcDateTime.Date.AddDays(-1)), cancellationToken)).OrderBy(u => u.Id).ToList();
        long highest = inbox.UidNext is { } next ? next.Id - 1
            : (await inbox.SearchAsync(SearchQuery.All, cancellationToken)).Select(u => (long)u.Id).DefaultIfEmpty(0).Max();
        var last = await LookAtAsync(account, inbox, validity, found, 0, cancellationToken);
        highest = Math.Max(highest, last);
        if (!await leases.AdvanceAsync(account.Id, validity, highest, cancellationToken))
        {
            throw new LeaseLostException();
        }
        return highest;
    }

    /// <summary>
    /// Headers first, for a batch of UIDs; the whole message only for one that answers a task's
    /// thread. The checkpoint moves past a batch only after its rows are committed.
    /// </summary>
    private async Task<long> LookAtAsync(MailAccount account, IMailFolder inbox, long validity, IReadOnlyList<UniqueId> uids, long last, CancellationToken cancellationToken)
    {
        foreach (var batch in uids.Chunk(options.Value.BatchSize))
        {
            var summaries = await inbox.FetchAsync(batch,
                MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.References | MessageSummaryItems.Size | MessageSummaryItems.InternalDate,
                cancellationToken);
            var imported = 0;
            var named = summaries.OrderBy(s => s.UniqueId.Id).Select(s => (Summary: s, References: References(s))).Where(m => m.References.Count > 0).ToList();
            // One query for the batch's thread ids, not one per message: catching up on 10,000 messages is 50 of them.
            var known = named.Count == 0 ? new HashSet<string>() : await importer.KnownThreadIdsAsync(named.Select(m => (IReadOnlyList<string>)m.References), cancellationToken);
            foreach (var (summary, references) in named)
            {
                if (!ThreadResolver.AnyKnown(references, known))
                {
                    continue;
                }
                var messageId = summary.Envelope?.MessageId;
                if (await importer.AlreadyHaveAsync(account.Id, messageId, cancellationToken))
                {
                    continue;
                }
                if (summary.Size is { } size && size > importer.MaxSize)
                {
                    WatchLog.TooLarge(logger, account.Id, summary.UniqueId.Id, size, importer.MaxSize);
                    continue;
                }
                await using var raw = await inbox.GetStreamAsync(summary.UniqueId, cancellationToken);
                if (raw.Length > importer.MaxSize)
                {
                    WatchLog.TooLarge(logger, account.Id, summary.UniqueId.Id, raw.Length, importer.MaxSize);
                    continue;
                }
                var reply = new FetchedReply(account.Id, account.Email, validity, summary.UniqueId.Id,
                    summary.Envelope?.From.Mailboxes.FirstOrDefault()?.Address, messageId, summary.InternalDate ?? clock.GetUtcNow());
                if (await importer.StoreAsync(reply, raw, cancellationToken))
                {
                    imported++;
                    WatchLog.Imported(logger, account.Id, reply.Uid, messageId);
                }
            }
            last = Math.Max(last, batch.Max(u => (long)u.Id));
            if (!await leases.AdvanceAsync(account.Id, validity, last, cancellationToken))
            {
                throw new LeaseLostException();
            }
            WatchLog.CaughtUp(logger, account.Id, batch.Length, last, imported);
        }
        return last;
    }

    /// <summary>The ids a message names as the ones it answers: References, then In-Reply-To (last, as the resolver expects).</summary>
    private static List<string> References(IMessageSummary summary)
    {
        var ids = summary.References?.ToList() ?? [];
        if (summary.Envelope?.InReplyTo is { Length: > 0 } inReplyTo)
        {
            ids.AddRange(inReplyTo.Contains('<') ? MimeUtils.EnumerateReferences(inReplyTo) : [inReplyTo]);
        }
        return ids;
    }

    private async Task<MailAccount?> LoadAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MailroomDb>().MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
    }

    /// <summary>The road to the server failed (network, TLS, time-out, a server that stopped speaking IMAP): never the credentials.</summary>
    private static bool IsConnectionFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        SocketException or IOException or TimeoutException or SslHandshakeException or HostNotAllowedException => true,
        ProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException or NotSupportedException => true,
        ImapCommandException or FolderNotFoundException => true,
        _ => false,
    };

    private TimeSpan Next(TimeSpan delay)
    {
        var o = options.Value;
        var doubled = delay * 2;
        return doubled > o.RetryMax ? o.RetryMax : doubled;
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    /// <summary>LOGOUT when the connection still works (the server frees the session at once), a closed socket otherwise.</summary>
    private static async Task CloseAsync(IImapClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.DisconnectAsync(true, budget.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ProtocolException or ImapCommandException or TimeoutException)
        {
            // Closing a connection that already broke: the socket goes with the client below.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>This server no longer holds the account's lease: another one watches it now.</summary>
    private sealed class LeaseLostException : Exception;
}
