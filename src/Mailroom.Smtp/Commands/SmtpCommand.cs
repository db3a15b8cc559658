using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Commands;

/// <summary>
/// One SMTP verb. Commands are stateless singletons; the session carries the state. The
/// arguments point into the session's line buffer and are valid until the next line is read.
/// </summary>
internal abstract class SmtpCommand
{
    public abstract ValueTask ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> arguments);
}
