using System.Net;
using Mailroom.Integrations;
using Mailroom.Smtp;
using Mailroom.Storage;
using Microsoft.Extensions.Options;
using Mailroom.Tasks;

namespace Mailroom.Inbound;

/// <summary>
/// Where the listener hands mail to the application: recipients are checked against the
/// integrations, lists and tasks (and the Email app's rules) at RCPT time, and a message is answered 250 only once its bytes are fsynced in
/// the blob store and its row committed.
/// </summary>
public sealed partial class IntakeSink(IServiceScopeFactory scopes, IntegrationLookup integrations, BlobStore blobs, IntakeWriter writer, RefusalRecorder refusals, IOptions<InboundOptions> options, ILogger<IntakeSink> logger) : ISmtpMessageSink
{
    public async ValueTask<SmtpResponse> CheckRecipientAsync(SmtpSessionContext session, string mailFrom, string recipient, CancellationToken cancellationToken)
    {
        var (reason, response) = await DecideAsync(recipient, mailFrom, cancellationToken);
        if (reason is { } refused)
        {
            // The inbound log's answer to "why didn't my email arrive?": offered to a queue, never awaited.
            refusals.Record(session, mailFrom, recipient, refused, response);
        }
        return response;
    }

    private async ValueTask<(RefusalReason? Reason, SmtpResponse Response)> DecideAsync(string recipient, string mailFrom, CancellationToken cancellationToken)
    {
        // What is known in memory is answered right here, on the listener's event loop; anything that
        // needs the database runs on the thread pool, so one client probing unknown addresses never
        // delays the replies of the other sessions on the loop.
        if (integrations.TryRemembered(recipient, out var remembered))
        {
            return remembered ? (null, SmtpResponse.RecipientOk) : (RefusalReason.AddressRemoved, Removed(recipient));
        }
        await Task.Yield();
        switch (await integrations.AcceptsAsync(recipient, cancellationToken))
        {
            case true:
                return (null, SmtpResponse.RecipientOk);
            case false:
                return (RefusalReason.AddressRemoved, Removed(recipient));
        }
        await using var scope = scopes.CreateAsyncScope();
        var resolver = scope.ServiceProvider.GetRequiredService<RecipientResolver>();
        var target = await resolver.ResolveAsync(recipient, cancellationToken);
        if (target is null)
        {
            return (resolver.LocalPartOf(recipient) is null ? RefusalReason.OtherDomain : RefusalReason.UnknownAddress,
                new SmtpResponse(550, "5.1.1", $"<{recipient}>: no such address here"));
        }
        if (target.Integration is { RemovedAt: not null })
        {
            return (RefusalReason.AddressRemoved, Removed(recipient));
        }
        if (target.Kind is MailTargetKind.List or MailTargetKind.Task)
        {
            // The envelope sender is all there is at RCPT time; the From header is checked again when processed.
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            if (await scope.ServiceProvider.GetRequiredService<TaskMail>().RefusalAsync(db, target, mailFrom, cancellationToken) is { } refusal)
            {
                var reason = refusal switch
                {
                    TaskMail.GuestRefusal => RefusalReason.GuestSender,
                    TaskMail.DisabledRefusal => RefusalReason.EmailAppOff,
                    _ => RefusalReason.Other,
                };
                return (reason, new SmtpResponse(550, "5.7.1", $"<{recipient}>: {refusal}"));
            }
        }
        return (null, SmtpResponse.RecipientOk);
    }

    public async ValueTask<IReadOnlyList<SmtpResponse>> DeliverAsync(SmtpSessionContext session, SmtpEnvelope envelope, SmtpMessageBody message, CancellationToken cancellationToken)
    {
        try
        {
            // Small messages ride in their row (committed with the batch); large ones get their file now.
            var inline = !message.IsSpooled && message.Length <= options.Value.InlineRawLimit;
            if (!inline)
            {
                // Sessions run on the listener's event loop: hashing and writing megabytes would hold up every other session on it.
                await Task.Yield();
            }
            // A small message is hashed once, by the processor, when it moves into the blob store: not here on the listener's loop.
            // A spooled body is hashed from its file and renamed into the store: never whole in memory.
            var hash = inline ? ""
                : message.IsSpooled ? await blobs.PutFileAsync(message.FilePath!, flush: false, cancellationToken)
                : await blobs.PutAsync(message.Memory, flush: false, cancellationToken);
            var row = new InboundMessage
            {
                BlobHash = hash,
                Raw = inline ? message.Memory.ToArray() : null,
                Size = message.Length,
                MailFrom = Truncate(envelope.MailFrom, 512),
                Recipients = string.Join('\n', envelope.Recipients.Select(r => r.ToLowerInvariant())),
                RemoteAddress = (session.RemoteEndPoint as IPEndPoint)?.Address.ToString(),
                Helo = session.HeloName is { } h ? Truncate(h, 255) : null,
            };
            await writer.CommitAsync(row);
            LogAccepted(row.Id, message.Length, envelope.Recipients.Count);
            var ok = new SmtpResponse(250, "2.0.0", $"Queued as {row.Id:N}");
            return envelope.Recipients.Select(_ => ok).ToArray();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(ex);
            return envelope.Recipients.Select(_ => SmtpResponse.TransientFailure).ToArray();
        }
    }

    private static SmtpResponse Removed(string recipient) =>
        new(550, "5.1.1", $"<{recipient}>: this address was removed and no longer accepts mail");

    /// <summary>Cut at <paramref name="max"/> characters, never between the halves of a surrogate pair (an unpaired one is not valid UTF-8 for PostgreSQL).</summary>
    private static string Truncate(string value, int max) =>
        value.Length <= max ? value : value[..(char.IsHighSurrogate(value[max - 1]) ? max - 1 : max)];

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Accepted message {MessageId} ({Size} bytes, {Recipients} recipients)")]
    private partial void LogAccepted(Guid messageId, long size, int recipients);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Could not store an incoming message; answered 451 so the sender retries")]
    private partial void LogStoreFailed(Exception exception);
}
