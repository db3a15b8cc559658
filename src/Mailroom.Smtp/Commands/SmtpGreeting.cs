using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>What HELO, EHLO and LHLO share: they name the client and reset the transaction.</summary>
internal static class SmtpGreeting
{
    public static void Greet(SmtpSession session, ReadOnlyMemory<byte> arguments, string verb, bool extended)
    {
        if (arguments.IsEmpty)
        {
            session.ReplyError(501, "5.5.4", $"Syntax: {verb} hostname");
            return;
        }

        var clientName = SmtpSession.Decode(arguments);
        session.Context.HeloName = clientName;
        session.IsGreeted = true;

        // RFC 5321 §4.1.4: a greeting in the middle of a transaction acts as RSET.
        session.Transaction.Reset();

        var hello = $"{session.Options.HostName} Hello {clientName}";
        if (!extended)
        {
            session.ReplyLine(250, hello, isLast: true);
            return;
        }

        // BDAT/CHUNKING (RFC 3030) is not implemented and therefore not advertised.
        session.ReplyLine(250, hello, isLast: false);
        session.ReplyLine(250, "PIPELINING", isLast: false);
        session.ReplyLine(250, $"SIZE {session.Options.MaxMessageSize}", isLast: false);
        session.ReplyLine(250, "8BITMIME", isLast: false);
        session.ReplyLine(250, "SMTPUTF8", isLast: false);
        if (session.CanStartTls)
        {
            session.ReplyLine(250, "STARTTLS", isLast: false);
        }

        session.ReplyLine(250, "ENHANCEDSTATUSCODES", isLast: true);
    }
}
