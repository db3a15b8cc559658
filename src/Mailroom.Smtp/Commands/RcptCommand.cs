using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>RCPT TO (RFC 5321 §4.1.1.3): the application decides through <see cref="ISmtpMessageSink.CheckRecipientAsync"/>.</summary>
internal sealed class RcptCommand : SmtpCommand
{
    public override async ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        var transaction = session.Transaction;
        if (!transaction.HasSender)
        {
            session.ReplyError(503, "5.5.1", "Need MAIL before RCPT");
            return;
        }

        if (!SmtpPathParser.TryParse(SmtpSession.Decode(arguments), "TO:", out var address, out var parameters))
        {
            session.ReplyError(501, "5.5.2", "Syntax: RCPT TO:<address>");
            return;
        }

        if (!SmtpPathParser.IsValidMailbox(address, allowBarePostmaster: true))
        {
            session.ReplyError(501, "5.1.3", "Bad recipient address syntax");
            return;
        }

        // DSN (RFC 3461) is not advertised, so NOTIFY and ORCPT are as unknown as anything else.
        if (parameters.Length > 0)
        {
            session.ReplyError(555, "5.5.4", "Unsupported RCPT parameter");
            return;
        }

        if (!transaction.SmtpUtf8 && !SmtpPathParser.IsAscii(address))
        {
            session.Reply(553, "5.6.7", "Non-ASCII address requires SMTPUTF8");
            return;
        }

        if (transaction.Recipients.Count >= session.Options.MaxRecipients)
        {
            // RFC 5321 §4.5.3.1.10: 452 makes the client send the rest in another transaction.
            session.Reply(452, "4.5.3", "Too many recipients");
            return;
        }

        if (session.Client is { } client && !client.TryAddRecipient())
        {
            SmtpLog.ClientRateLimited(session.Logger, session.Context.ConnectionId, "RCPT");
            session.ReplyError(452, "4.7.0", "Too many recipients from your address, try again later");
            return;
        }

        var response = await session.CheckRecipientAsync(address);
        if (response.IsPositive)
        {
            transaction.Recipients.Add(address);
            session.Reply(response);
        }
        else if (response.Code >= 500)
        {
            // A refused recipient is an error like a bad command: probing for addresses ends the session.
            session.ReplyError(response);
        }
        else
        {
            session.Reply(response);
        }
    }
}
