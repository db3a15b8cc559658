using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>QUIT (RFC 5321 §4.1.1.10): reply 221, then close; an open transaction is dropped.</summary>
internal sealed class QuitCommand : SmtpCommand
{
    public override ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments)
    {
        session.Reply(221, "2.0.0", $"{session.Options.HostName} Service closing transmission channel");
        session.RequestClose();
        return ValueTask.CompletedTask;
    }
}
