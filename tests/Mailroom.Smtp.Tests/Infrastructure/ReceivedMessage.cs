using System.Text;

namespace Mailroom.Smtp.Tests.Infrastructure;

public sealed record ReceivedMessage(bool IsTls, string? HeloName, SmtpEnvelope Envelope, byte[] Bytes, bool Spooled = false)
{
    public string Text => Encoding.UTF8.GetString(Bytes);
}
