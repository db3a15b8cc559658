using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>EHLO (RFC 5321 §4.1.1.1): greeting with the list of extensions. Not LMTP's (RFC 2033 §4.1).</summary>
internal sealed class EhloCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        if (session.Options.IsLmtp)
        {
            session.ReplyError(500, "5.5.1", "This is an LMTP server: use LHLO");
        }
        else
        {
            SmtpGreeting.Greet(session, arguments, "EHLO", extended: true);
        }

        return ValueTask.CompletedTask;
    }
}
