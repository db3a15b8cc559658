using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>HELP (RFC 5321 §4.1.1.8).</summary>
internal sealed class HelpCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        var greeting = session.Options.IsLmtp ? "LHLO" : "EHLO HELO";
        session.Reply(214, "2.0.0", $"Mailroom supports {greeting} MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS; see RFC 5321");
        return ValueTask.CompletedTask;
    }
}
