using System.Net;

namespace Mailroom.Inbound.Verification;

/// <summary>What the SMTP session told about a message: the connecting address, MAIL FROM (empty for a null sender) and HELO.</summary>
public sealed record SenderEnvelope(IPAddress? ClientAddress, string MailFrom, string? Helo)
{
    public static SenderEnvelope Of(InboundMessage message) =>
        new(IPAddress.TryParse(message.RemoteAddress ?? "", out var address) ? address : null, message.MailFrom, message.Helo);
}
