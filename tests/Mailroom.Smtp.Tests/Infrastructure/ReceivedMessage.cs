using System.Text;

namespace Mailroom.Smtp.Tests.Infrastructure;

public sealed record ReceivedMessage(bool IsTls, string? HeloName, SmtpEnvelope Envelope, byte[] Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes);
}
