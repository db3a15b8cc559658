using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>
/// VRFY (RFC 5321 §4.1.1.6): answered with 252 (§3.5.3) so the listener cannot be used to
/// enumerate the application's addresses.
/// </summary>
internal sealed class VrfyCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        if (arguments.IsEmpty)
        {
            session.ReplyError(501, "5.5.4", "Syntax: VRFY <address>");
        }
        else
        {
            session.Reply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
        }

        return ValueTask.CompletedTask;
    }
}
