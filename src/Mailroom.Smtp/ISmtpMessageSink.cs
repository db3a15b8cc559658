namespace Mailroom.Smtp;

/// <summary>
/// The application side of the listener. The protocol library knows nothing about
/// workspaces: it asks the sink whether a recipient exists and hands it every message.
/// </summary>
public interface ISmtpMessageSink
{
    /// <summary>
    /// Called for each RCPT TO. Return <see cref="SmtpResponse.RecipientOk"/> (or any 2xx) to
    /// accept, a 5xx such as <see cref="SmtpResponse.NoSuchUser"/> to refuse at once, or a 4xx.
    /// </summary>
    ValueTask<SmtpResponse> CheckRecipientAsync(SmtpSessionContext session, string mailFrom, string recipient, CancellationToken cancellationToken);

    /// <summary>
    /// Called after the final "." of DATA with the dot-unstuffed message: in memory when small,
    /// in a spool file when large (see <see cref="SmtpMessageBody"/>); valid only during the call.
    /// The implementation must have stored the message durably before it returns a 2xx.
    /// Returns one response per envelope recipient, in order (LMTP sends each, RFC 2033 §4.2;
    /// SMTP sends the first failing one, or the first if all succeeded).
    /// </summary>
    ValueTask<IReadOnlyList<SmtpResponse>> DeliverAsync(SmtpSessionContext session, SmtpEnvelope envelope, SmtpMessageBody message, CancellationToken cancellationToken);
}
