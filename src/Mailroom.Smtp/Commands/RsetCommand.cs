using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>RSET (RFC 5321 §4.1.1.5): abort the transaction, keep the greeting.</summary>
internal sealed class RsetCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        if (!arguments.IsEmpty)
        {
            session.ReplyError(501, "5.5.4", "RSET takes no parameters");
        }
        else
        {
            session.Transaction.Reset();
            session.Reply(250, "2.0.0", "Reset state");
        }

        return ValueTask.CompletedTask;
    }
}
