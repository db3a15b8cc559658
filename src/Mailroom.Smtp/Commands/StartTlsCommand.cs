using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>STARTTLS (RFC 3207 §4): offered only when a certificate is configured.</summary>
internal sealed class StartTlsCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        if (!arguments.IsEmpty)
        {
            session.ReplyError(501, "5.5.4", "STARTTLS takes no parameters");
        }
        else if (session.Context.IsTls)
        {
            session.ReplyError(503, "5.5.1", "TLS already active");
        }
        else if (!session.CanStartTls)
        {
            session.ReplyError(502, "5.5.1", "STARTTLS not available");
        }
        else
        {
            session.Reply(220, "2.0.0", "Ready to start TLS");
            session.RequestStartTls();
        }

        return ValueTask.CompletedTask;
    }
}
