using Mailroom.Smtp;

namespace Mailroom.Fuzz;

/// <summary>
/// The application side for the SMTP target; the domain of an address chooses the outcome, so
/// the fuzzer can reach each reply path: <c>@unknown.test</c> is refused at RCPT,
/// <c>@flaky.test</c> throws at RCPT, <c>@full.test</c> gets 452 at delivery and
/// <c>@broken.test</c> makes delivery throw. Each delivery is recorded as one line.
/// </summary>
internal sealed class FuzzSink : ISmtpMessageSink
{
    public List<string> Deliveries { get; } = [];

    /// <summary>A message the listener should never have handed over (over its size or line limit).</summary>
    public string? Violation { get; set; }

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

    public ValueTask<IReadOnlyList<SmtpResponse>> DeliverAsync(SmtpSessionContext session, SmtpEnvelope envelope, SmtpMessageBody body, CancellationToken cancellationToken)
    {
        // The fuzzer's messages are small (4 KB limit), so never spooled.
        ReadOnlyMemory<byte> message = body.ToArray();
        if (envelope.Recipients.Any(r => r.EndsWith("@broken.test", StringComparison.OrdinalIgnoreCase)))
        {
            throw new IOException("disk on fire");
        }

        if (message.Length > SmtpTarget.MaxMessageSize)
        {
            Violation ??= $"a message of {message.Length} bytes was delivered past the {SmtpTarget.MaxMessageSize}-byte limit";
        }

        foreach (var line in message.Span.Split((byte)'\n'))
        {
            if (line.End.Value - line.Start.Value + 1 > SmtpTarget.MaxDataLineLength)
            {
                Violation ??= $"a message with a line of {line.End.Value - line.Start.Value + 1} bytes was delivered past the {SmtpTarget.MaxDataLineLength}-byte limit";
            }
        }

        Deliveries.Add(
            $"helo={session.HeloName} from=<{envelope.MailFrom}> to={string.Join(",", envelope.Recipients)} " +
            $"size={envelope.DeclaredSize} 8bit={envelope.EightBitMime} utf8={envelope.SmtpUtf8} " +
            $"data={Convert.ToHexString(message.Span)}");
        IReadOnlyList<SmtpResponse> responses =
        [
            .. envelope.Recipients.Select(r => r.EndsWith("@full.test", StringComparison.OrdinalIgnoreCase)
                ? new SmtpResponse(452, "4.2.2", "Mailbox full")
                : SmtpResponse.Ok("Message stored")),
        ];
        return ValueTask.FromResult(responses);
    }
}
