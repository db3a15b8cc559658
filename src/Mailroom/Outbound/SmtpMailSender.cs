using System.Net.Sockets;
using System.Text.RegularExpressions;
using Mailroom.Accounts;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mailroom.Outbound;

/// <summary>
/// Submission over SMTP (RFC 6409) through <see cref="MailConnector"/>, with the credentials of
/// <see cref="AccountCredentials"/>: a refused login is tried once more with fresh credentials
/// (an OAuth token refreshed). Failures become <see cref="SendFailure"/>s the worker can act on:
/// 4xx and the network are transient, 5xx and refused logins permanent.
/// </summary>
public sealed partial class SmtpMailSender(MailConnector connector, AccountCredentials credentials) : IMailSender
{
    public async Task<SendResult> SendAsync(MailAccount account, MimeMessage message, SmtpSessions? sessions, CancellationToken cancellationToken)
    {
        var client = await KeptAsync(account, sessions, cancellationToken) ?? await OpenAsync(account, cancellationToken);
        var keep = false;
        try
        {
            var maxSize = client.Capabilities.HasFlag(SmtpCapabilities.Size) ? (long)client.MaxSize : 0;
            // MailKit 4 returns the text of the final 250 reply; Outlook names the id it gave the message there.
            var reply = await client.SendAsync(message, cancellationToken);
            keep = sessions is not null;
            return new SendResult(ProviderId(reply, message.MessageId ?? ""), ProviderCatalog.Find(account.Provider)?.SavesSentCopy ?? account.ServerSavesSentCopy, maxSize);
        }
        catch (Exception e) when (Classify(e, account, cancellationToken) is { } failure)
        {
            throw failure;
        }
        finally
        {
            if (keep)
            {
                sessions!.Return(account, client);
            }
            else
            {
                // A failed send closes its session: a refused recipient or a 4xx leaves the next email a clean connection.
                await SmtpSessions.CloseAsync(client);
            }
        }
    }

    /// <summary>
    /// A session kept from an earlier email of the account, if it still answers (NOOP): one the
    /// server dropped meanwhile is closed before any of this email is said, so nothing is ever
    /// sent twice for it; this email then opens a new one.
    /// </summary>
    private static async Task<ISmtpClient?> KeptAsync(MailAccount account, SmtpSessions? sessions, CancellationToken cancellationToken)
    {
        while (sessions?.Take(account) is { } kept)
        {
            try
            {
                await kept.NoOpAsync(cancellationToken);
                return kept;
            }
            catch (Exception)
            {
                await SmtpSessions.CloseAsync(kept);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        return null;
    }

    /// <summary>The SIZE the account's submission server advertises (0: none), learned by logging in.</summary>
    public async Task<long> LearnMaxSizeAsync(MailAccount account, CancellationToken cancellationToken)
    {
        using var client = await OpenAsync(account, cancellationToken);
        var maxSize = client.Capabilities.HasFlag(SmtpCapabilities.Size) ? (long)client.MaxSize : 0;
        await client.DisconnectAsync(true, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return maxSize;
    }

    private async Task<ISmtpClient> OpenAsync(MailAccount account, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // Inside the try: a refresh token the provider refused is a refused login too (NEMAIL_002), not a crash to retry.
                var login = await credentials.GetAsync(account, afterRefusal: attempt > 0, cancellationToken);
                return await connector.OpenSmtpAsync(account, login, cancellationToken);
            }
            catch (Exception e) when (attempt == 0 && IsLoginRefusal(e) && e is not ReauthenticationRequiredException)
            {
                // Once more with fresh credentials: an OAuth token may have expired a moment ago.
            }
            catch (Exception e) when (Classify(e, account, cancellationToken) is { } failure)
            {
                throw failure;
            }
        }
    }

    private static bool IsLoginRefusal(Exception e) =>
        e is AuthenticationException || (e is SmtpCommandException s && (int)s.StatusCode is 530 or 534 or 535);

    /// <summary>Null for what is not the server's or the network's doing (a bug, a cancellation by shutdown): that propagates.</summary>
    private static SendFailure? Classify(Exception e, MailAccount account, CancellationToken cancellationToken)
    {
        if (IsLoginRefusal(e))
        {
            // The server's own words ("535: 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled…"):
            // what the author reads, and what tells Microsoft's switched-off SMTP AUTH from a wrong password.
            var said = e switch
            {
                ReauthenticationRequiredException => e.Message,
                SmtpCommandException s => $"{account.SmtpHost} refused the login ({(int)s.StatusCode} {s.Message}).",
                _ when e.Message.Length > 0 => $"{account.SmtpHost} refused the login ({e.Message.TrimEnd('.')}).",
                _ => $"{account.SmtpHost} refused the login.",
            };
            return new SendFailure(AccountProblems.AuthenticationRefused, $"{said} {AccountProblems.NemailRemedy}", permanent: true, e)
            {
                AuthenticationRefused = true,
            };
        }
        return e switch
        {
            SmtpCommandException c => Refusal(c),
            HostNotAllowedException h => new SendFailure(AccountProblems.HostNotAllowed, h.Message, permanent: true, e),
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            TimeoutException or OperationCanceledException => new SendFailure("timeout", $"{account.SmtpHost}:{account.SmtpPort} did not answer in time.", permanent: false, e),
            SocketException or IOException or SmtpProtocolException or SslHandshakeException
                => new SendFailure("network", $"Could not talk to {account.SmtpHost}:{account.SmtpPort}: {e.Message}", permanent: false, e),
            _ => null,
        };
    }

    /// <summary>The server's own words: "smtp_5.1.1" from an enhanced status code (RFC 3463), else "smtp_550".</summary>
    private static SendFailure Refusal(SmtpCommandException e)
    {
        var status = (int)e.StatusCode;
        var enhanced = EnhancedCode().Match(e.Message);
        var code = "smtp_" + (enhanced.Success ? enhanced.Value : status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var who = e.ErrorCode == SmtpErrorCode.RecipientNotAccepted && e.Mailbox is { } mailbox ? $"{mailbox.Address} was refused: " : "";
        return new SendFailure(code, $"{who}{status} {e.Message}".Trim(), permanent: status >= 500, e);
    }

    /// <summary>The id in angle brackets in a 250 reply ("250 2.0.0 OK &lt;id@host&gt; [Hostname=…]"), when it is not ours.</summary>
    public static string? ProviderId(string? reply, string ours)
    {
        var match = reply is null ? Match.Empty : BracketedId().Match(reply);
        var id = match.Success ? ThreadResolver.Normalize(match.Groups[1].Value) : null;
        return id is null || string.Equals(id, ours, StringComparison.Ordinal) ? null : id;
    }

    [GeneratedRegex(@"^[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedCode();

    [GeneratedRegex(@"<([^<>\s@]+@[^<>\s@]+)>")]
    private static partial Regex BracketedId();
}
