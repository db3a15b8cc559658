using System.Text;

namespace Mailroom.Smtp.Commands;

/// <summary>Finds the command for a verb without allocating: verbs are compared as ASCII bytes.</summary>
internal static class SmtpCommandTable
{
    private static readonly (byte[] Verb, SmtpCommand Command)[] Commands =
    [
        ("RCPT"u8.ToArray(), new RcptCommand()),
        ("MAIL"u8.ToArray(), new MailCommand()),
        ("DATA"u8.ToArray(), new DataCommand()),
        ("EHLO"u8.ToArray(), new EhloCommand()),
        ("LHLO"u8.ToArray(), new LhloCommand()),
        ("HELO"u8.ToArray(), new HeloCommand()),
        ("RSET"u8.ToArray(), new RsetCommand()),
        ("NOOP"u8.ToArray(), new NoopCommand()),
        ("QUIT"u8.ToArray(), new QuitCommand()),
        ("VRFY"u8.ToArray(), new VrfyCommand()),
        ("HELP"u8.ToArray(), new HelpCommand()),
        ("STARTTLS"u8.ToArray(), new StartTlsCommand()),
    ];

    public static SmtpCommand? Find(ReadOnlySpan<byte> verb)
    {
        foreach (var (name, command) in Commands)
        {
            if (Ascii.EqualsIgnoreCase(verb, name))
            {
                return command;
            }
        }

        return null;
    }
}
