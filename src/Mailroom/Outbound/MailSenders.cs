using Mailroom.Accounts;

namespace Mailroom.Outbound;

/// <summary>
/// Picks the sender for an account: SMTP submission today; Microsoft Graph's sendMail joins here
/// for Microsoft 365 tenants that turned SMTP AUTH off.
/// </summary>
public sealed class MailSenders(SmtpMailSender smtp)
{
    public IMailSender For(MailAccount account) => smtp;
}
