using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>NOOP (RFC 5321 §4.1.1.9): any argument is ignored, as the RFC requires.</summary>
internal sealed class NoopCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        session.Reply(250, "2.0.0", "OK");
        return ValueTask.CompletedTask;
    }
}
