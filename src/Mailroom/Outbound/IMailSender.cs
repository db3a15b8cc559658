using Mailroom.Accounts;
using MimeKit;

namespace Mailroom.Outbound;

/// <summary>
/// Hands one finished message to the account's provider: SMTP submission (MailKit) or Microsoft
/// Graph's sendMail with the raw MIME. The outbox's worker calls it; it neither retries nor
/// records anything itself.
/// </summary>
public interface IMailSender
{
    /// <summary>
    /// Sends <paramref name="message"/> through <paramref name="account"/>. Throws <see cref="SendFailure"/>.
    /// With <paramref name="sessions"/>, an SMTP sender sends over a session kept open from an
    /// earlier email of the account when there is one, and keeps its session there afterwards.
    /// </summary>
    Task<SendResult> SendAsync(MailAccount account, MimeMessage message, SmtpSessions? sessions, CancellationToken cancellationToken);
}

/// <summary>
/// What the provider said: the id it gave the message instead of ours (Outlook's 250 reply, Graph),
/// whether it keeps a Sent copy itself, and the SIZE its submission server advertised (SMTP only;
/// 0 when none), which the outbox keeps on the account for the next size check.
/// </summary>
public sealed record SendResult(string? ProviderMessageId, bool ProviderSavesSentCopy, long? ServerMaxSize = null);

/// <summary>
/// A send that did not happen. <see cref="Permanent"/>: a 5xx, a refused recipient, refused
/// credentials — retrying cannot help. Otherwise (4xx, network) the worker retries with back-off.
/// </summary>
public sealed class SendFailure(string code, string reason, bool permanent, Exception? inner = null) : Exception(reason, inner)
{
    /// <summary>A stable code: NEMAIL_002, CONT_002, smtp_5.1.1, network, …</summary>
    public string Code { get; } = code;

    public bool Permanent { get; } = permanent;

    /// <summary>Set when the server refused the login (an authentication failure, counted towards re-authentication).</summary>
    public bool AuthenticationRefused { get; init; }
}
