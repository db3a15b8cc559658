using System.Collections.Concurrent;

namespace Mailroom.Smtp.Tests.Infrastructure;

/// <summary>
/// The application side for tests. Addresses decide the outcome, so transcripts can drive it:
/// <c>@unknown.test</c> is refused at RCPT, <c>@flaky.test</c> throws at RCPT,
/// <c>@full.test</c> is refused at delivery with 452 and <c>@broken.test</c> makes delivery throw.
/// </summary>
public sealed class RecordingSink : ISmtpMessageSink
{
    public ConcurrentQueue<ReceivedMessage> Messages { get; } = new();

    public int DeliverCalls => _deliverCalls;

    private int _deliverCalls;

    public ValueTask<SmtpResponse> CheckRecipientAsync(SmtpSessionContext session, string mailFrom, string recipient, CancellationToken cancellationToken)
    {
        if (recipient.EndsWith("@flaky.test", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("directory unavailable");
        }

        return ValueTask.FromResult(recipient.EndsWith("@unknown.test", StringComparison.OrdinalIgnoreCase)
            ? SmtpResponse.NoSuchUser
            : SmtpResponse.RecipientOk);
    }

    /// <summary>When set, each delivery waits for one release: a slow store, seen from the listener.</summary>
    public SemaphoreSlim? DeliveryGate { get; set; }

    public async ValueTask<IReadOnlyList<SmtpResponse>> DeliverAsync(SmtpSessionContext session, SmtpEnvelope envelope, SmtpMessageBody message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _deliverCalls);
        if (DeliveryGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }
        if (envelope.Recipients.Any(r => r.EndsWith("@broken.test", StringComparison.OrdinalIgnoreCase)))
        {
            throw new IOException("disk on fire");
        }

        Messages.Enqueue(new ReceivedMessage(session.IsTls, session.HeloName, envelope, message.ToArray(), message.IsSpooled));
        IReadOnlyList<SmtpResponse> responses = envelope.Recipients
            .Select(r => r.EndsWith("@full.test", StringComparison.OrdinalIgnoreCase)
                ? new SmtpResponse(452, "4.2.2", "Mailbox full")
                : SmtpResponse.Ok("Message stored"))
            .ToArray();
        return responses;
    }
}
