using System.Globalization;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>
/// MAIL FROM (RFC 5321 §4.1.1.2) with the parameters of the advertised extensions:
/// SIZE (RFC 1870 §6), BODY (RFC 6152 §2) and SMTPUTF8 (RFC 6531 §3.4).
/// </summary>
internal sealed class MailCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        Execute(session, SmtpSession.Decode(arguments));
        return ValueTask.CompletedTask;
    }

    private static void Execute(SmtpSession session, string arguments)
    {
        if (!session.IsGreeted)
        {
            // RFC 5321 §4.1.4: the client must greet before a transaction.
            session.ReplyError(503, "5.5.1", session.Options.IsLmtp ? "Send LHLO first" : "Send EHLO or HELO first");
            return;
        }

        if (session.Transaction.HasSender)
        {
            session.ReplyError(503, "5.5.1", "Nested MAIL command");
            return;
        }

        if (!SmtpPathParser.TryParse(arguments, "FROM:", out var address, out var parameters))
        {
            session.ReplyError(501, "5.5.2", "Syntax: MAIL FROM:<address>");
            return;
        }

        // The null reverse-path <> is what bounces and auto-replies use (RFC 5321 §4.5.5).
        if (address.Length > 0 && !SmtpPathParser.IsValidMailbox(address, allowBarePostmaster: false))
        {
            session.ReplyError(501, "5.1.7", "Bad sender address syntax");
            return;
        }

        long? size = null;
        var eightBit = false;
        var utf8 = false;
        foreach (var parameter in parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=');
            var keyword = equals < 0 ? parameter : parameter[..equals];
            var value = equals < 0 ? null : parameter[(equals + 1)..];

            if (keyword.Equals("SIZE", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var declared))
                {
                    session.ReplyError(501, "5.5.4", "Syntax: SIZE=<bytes>");
                    return;
                }

                if (declared > session.Options.MaxMessageSize)
                {
                    // RFC 1870 §6.2: refuse up front rather than after the whole upload.
                    session.Reply(552, "5.3.4", "Message size exceeds fixed maximum message size");
                    return;
                }

                size = declared;
            }
            else if (keyword.Equals("BODY", StringComparison.OrdinalIgnoreCase))
            {
                if ("8BITMIME".Equals(value, StringComparison.OrdinalIgnoreCase))
                {
                    eightBit = true;
                }
                else if (!"7BIT".Equals(value, StringComparison.OrdinalIgnoreCase))
                {
                    session.ReplyError(501, "5.5.4", "Syntax: BODY=7BIT or BODY=8BITMIME");
                    return;
                }
            }
            else if (keyword.Equals("SMTPUTF8", StringComparison.OrdinalIgnoreCase) && value is null)
            {
                utf8 = true;
            }
            else
            {
                // RFC 5321 §4.1.1.11: unrecognised or unimplemented MAIL parameters get 555.
                session.ReplyError(555, "5.5.4", "Unsupported MAIL parameter");
                return;
            }
        }

        if (!utf8 && !SmtpPathParser.IsAscii(address))
        {
            // RFC 6531 §3.5: a non-ASCII address without SMTPUTF8.
            session.Reply(553, "5.6.7", "Non-ASCII address requires SMTPUTF8");
            return;
        }

        if (session.Client is { } client && !client.TryStartMessage())
        {
            // Postfix's smtpd_client_message_rate_limit answers the same.
            SmtpLog.ClientRateLimited(session.Logger, session.Context.ConnectionId, "MAIL");
            session.ReplyError(452, "4.7.0", "Too much mail from your address, try again later");
            return;
        }

        var transaction = session.Transaction;
        transaction.MailFrom = address;
        transaction.DeclaredSize = size;
        transaction.EightBitMime = eightBit;
        transaction.SmtpUtf8 = utf8;
        session.Reply(250, "2.1.0", "Sender OK");
    }
}
