using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>
/// LHLO (RFC 2033 §4.1): LMTP's EHLO. A distinct verb so that an SMTP client that reached an
/// LMTP port by mistake fails at once instead of getting per-recipient replies it cannot read.
/// </summary>
internal sealed class LhloCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        if (!session.Options.IsLmtp)
        {
            session.ReplyError(500, "5.5.1", "This is an SMTP server: use EHLO");
        }
        else
        {
            SmtpGreeting.Greet(session, arguments, "LHLO", extended: true);
        }

        return ValueTask.CompletedTask;
    }
}
