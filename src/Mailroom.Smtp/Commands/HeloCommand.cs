using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>HELO (RFC 5321 §4.1.1.1): the pre-ESMTP greeting, without extensions.</summary>
internal sealed class HeloCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        if (session.Options.IsLmtp)
        {
            session.ReplyError(500, "5.5.1", "This is an LMTP server: use LHLO");
        }
        else
        {
            SmtpGreeting.Greet(session, arguments, "HELO", extended: false);
        }

        return ValueTask.CompletedTask;
    }
}
