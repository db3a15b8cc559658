using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>DATA (RFC 5321 §4.1.1.4): the session reads the text and answers after the final dot.</summary>
internal sealed class DataCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        if (!arguments.IsEmpty)
        {
            session.ReplyError(501, "5.5.4", "DATA takes no parameters");
        }
        else if (!session.Transaction.HasSender)
        {
            session.ReplyError(503, "5.5.1", "Need MAIL command");
        }
        else if (session.Transaction.Recipients.Count == 0)
        {
            // Not counted as an error: a pipelining client sends DATA before it sees its RCPTs
            // refused (RFC 2920 §3.1), so this is the normal end of such a transaction.
            session.Reply(503, "5.5.1", "No valid recipients");
        }
        else
        {
            session.BeginData();
        }

        return ValueTask.CompletedTask;
    }
}
