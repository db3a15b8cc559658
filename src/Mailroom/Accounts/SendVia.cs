namespace Mailroom.Accounts;

/// <summary>
/// Which road an account's email leaves by. Microsoft 365 tenants may turn SMTP AUTH off (Security
/// Defaults, the retirement of basic auth for submission); Graph's sendMail with the raw MIME
/// reaches the same mailbox and keeps the threading headers.
/// </summary>
public enum SendVia
{
    /// <summary>SMTP submission; a Microsoft OAuth account switches to <see cref="Graph"/> when SMTP AUTH is refused as turned off (5.7.139, 5.7.3).</summary>
    Auto = 0,
    Smtp = 1,
    Graph = 2,
}
