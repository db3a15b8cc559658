using System.Threading.Channels;
using Mailroom.Accounts;
using Mailroom.Storage;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Outbound;

/// <summary>
/// The copy of a sent email in the account's Sent folder (SPECIAL-USE <c>\Sent</c>, RFC 6154),
/// after the send and beside the worker, never in its way. A provider that files one itself
/// (Gmail, Outlook…) is watched for it for a while, by the <c>X-Mailroom-Outbox</c> header, to
/// learn the Message-ID it may have given the message. Otherwise a copy is appended, flagged
/// \Seen, only if a search by Message-ID and by that header finds none, so Sent holds exactly one.
/// </summary>
public sealed class SentCopies(
    IServiceScopeFactory scopes, MailConnector connector, AccountCredentials credentials, OutboundMessageBuilder builder, ThreadResolver threads,
    IOptions<OutboxOptions> options, TimeProvider clock, ILogger<SentCopies> logger) : BackgroundService
{
    private readonly Channel<Guid> _queue = Channel.CreateUnbounded<Guid>();

    /// <summary>At most this many mailboxes are looked at at once.</summary>
    private readonly SemaphoreSlim _slots = new(4, 4);

    public void Enqueue(Guid emailId) => _queue.Writer.TryWrite(emailId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var running = new List<Task>();
        try
        {
            // Copies this instance (or one before it) had not finished when it stopped.
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
                var since = clock.GetUtcNow().AddDays(-1);
                foreach (var id in await db.OutboundEmails.Where(e => e.Status == OutboundStatus.Sent && e.SentCopyAt == null && e.SentAt > since)
                    .Select(e => e.Id).ToListAsync(stoppingToken))
                {
                    Enqueue(id);
                }
            }
            await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await _slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await KeepAsync(id, stoppingToken);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task KeepAsync(Guid emailId, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            var email = await db.OutboundEmails.AsNoTracking().Include(e => e.Attachments).FirstOrDefaultAsync(e => e.Id == emailId, cancellationToken);
            var account = email is null ? null : await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == email.AccountId, cancellationToken);
            if (email is null || account is null || email.SentCopyAt is not null)
            {
                return;
            }
            // The copy is built as the email was: with the footer if the plan still shows it (it was built a moment ago).
            var watermark = await scope.ServiceProvider.GetRequiredService<EmailApp.EmailAppService>().WatermarkShownAsync(cancellationToken);
            var outcome = await CopyAsync(db, email, account, watermark, cancellationToken);
            await db.OutboundEmails.Where(e => e.Id == emailId).ExecuteUpdateAsync(s => s.SetProperty(e => e.SentCopyAt, clock.GetUtcNow()), cancellationToken);
            OutboundLog.SentCopy(logger, emailId, outcome);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The email has left; only its copy is missing. Retried when this instance next starts.
            OutboundLog.SentCopyFailed(logger, emailId, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<string> CopyAsync(MailroomDb db, OutboundEmail email, MailAccount account, bool watermark, CancellationToken cancellationToken)
    {
        var savesItself = ProviderCatalog.Find(account.Provider)?.SavesSentCopy ?? account.ServerSavesSentCopy;
        using var imap = await connector.OpenImapAsync(account, await credentials.GetAsync(account, afterRefusal: false, cancellationToken), cancellationToken);
        var sent = SentFolder(imap);
        if (sent is null)
        {
            return "the account has no Sent folder (no SPECIAL-USE \\Sent)";
        }
        var byHeader = SearchQuery.HeaderContains(OutboundMessageBuilder.OutboxHeader, email.Id.ToString());
        if (savesItself)
        {
            await sent.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            var deadline = clock.GetUtcNow() + options.Value.SentCopyWindow;
            var pause = TimeSpan.FromSeconds(1);
            while (true)
            {
                var found = await sent.SearchAsync(byHeader, cancellationToken);
                if (found.Count > 0)
                {
                    var summary = (await sent.FetchAsync([found[0]], MessageSummaryItems.Envelope, cancellationToken)).FirstOrDefault();
                    var id = ThreadResolver.Normalize(summary?.Envelope?.MessageId);
                    if (id is null || id == email.MessageId)
                    {
                        return "the provider filed it in Sent under our Message-ID";
                    }
                    await threads.RememberAsync(db, id, email.TaskId, email.CommentId, email.Id, ThreadIdSource.Provider, clock.GetUtcNow(), cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    await db.OutboundEmails.Where(e => e.Id == email.Id && e.ProviderMessageId == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(e => e.ProviderMessageId, id), cancellationToken);
                    return $"the provider filed it in Sent as <{id}>";
                }
                if (clock.GetUtcNow() + pause > deadline)
                {
                    return "the provider's copy did not show in Sent in time";
                }
                await Task.Delay(pause, clock, cancellationToken);
                pause *= 2;
            }
        }
        await sent.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var existing = await sent.SearchAsync(SearchQuery.HeaderContains("Message-ID", email.MessageId).Or(byHeader), cancellationToken);
        if (existing.Count > 0)
        {
            return "a copy was already in Sent";
        }
        using var message = builder.Build(email, watermark);
        await sent.AppendAsync(new AppendRequest(message, MessageFlags.Seen), cancellationToken);
        await imap.DisconnectAsync(true, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return "appended a copy to Sent";
    }

    private static IMailFolder? SentFolder(IImapClient imap)
    {
        if ((imap.Capabilities & (ImapCapabilities.SpecialUse | ImapCapabilities.XList)) == 0)
        {
            return null;
        }
        return imap.GetFolder(SpecialFolder.Sent);
    }
}
