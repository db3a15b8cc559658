using MailKit.Net.Imap;
using MailKit.Net.Smtp;

namespace Mailroom.Accounts;

/// <summary>Makes MailKit's clients; a seam so the protocol settings every client gets live in one place.</summary>
public sealed class MailClientFactory
{
    public IImapClient CreateImap(TimeSpan timeout) => new ImapClient { Timeout = (int)timeout.TotalMilliseconds };

    public ISmtpClient CreateSmtp(TimeSpan timeout) => new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
}
