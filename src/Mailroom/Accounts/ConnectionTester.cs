using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Mailroom.Accounts;

/// <summary>
/// "Test connection": connects and logs in to IMAP, then to SMTP submission, exactly as the
/// watcher and the sender will, and reports the first step that failed and whether it was the
/// credentials (authentication refused) or the road to the server (unreachable, time-out, TLS).
/// </summary>
public sealed class ConnectionTester(MailClientFactory clients, MailConnector connector, AccountCredentials credentials, IOptions<AccountOptions> options, ILogger<ConnectionTester> logger)
{
    /// <summary>The login a step presents; <c>afterRefusal</c> on the one retry after the server refused it.</summary>
    private delegate Task<AccountLogin> LoginSource(bool afterRefusal, CancellationToken cancellationToken);

    /// <summary>A mailbox not yet saved, with the password the member typed.</summary>
    public Task<ConnectionTestResult> TestAsync(MailboxSettings settings, CancellationToken cancellationToken) =>
        TestAsync(settings, AccountLogin.WithPassword(settings.Username, settings.Password), cancellationToken);

    /// <summary>A mailbox not yet saved, with <paramref name="login"/> (a fresh OAuth access token, or a password).</summary>
    public Task<ConnectionTestResult> TestAsync(MailboxSettings settings, AccountLogin login, CancellationToken cancellationToken) =>
        RunBothAsync(settings, (_, _) => Task.FromResult(login), retry: false, cancellationToken);

    /// <summary>
    /// A saved account, with its stored credentials as the sender and the watcher get them: an
    /// OAuth token near expiry is refreshed first, and a refused token refreshed and tried once more.
    /// </summary>
    public Task<ConnectionTestResult> TestAsync(MailAccount account, CancellationToken cancellationToken) =>
        RunBothAsync(
            new MailboxSettings(account.ImapHost, account.ImapPort, account.ImapSecurity, account.SmtpHost, account.SmtpPort, account.SmtpSecurity, account.Username, ""),
            (afterRefusal, ct) => credentials.GetAsync(account, afterRefusal, ct),
            retry: account.AuthKind == AccountAuthKind.OAuth,
            cancellationToken);

    private async Task<ConnectionTestResult> RunBothAsync(MailboxSettings settings, LoginSource login, bool retry, CancellationToken cancellationToken)
    {
        var result = await RunAsync(Imap, ConnectionStep.ConnectImap, settings.ImapHost, settings.ImapPort, settings.ImapSecurity, login, retry, cancellationToken);
        if (result.Ok)
        {
            result = await RunAsync(Smtp, ConnectionStep.ConnectSmtp, settings.SmtpHost, settings.SmtpPort, settings.SmtpSecurity, login, retry, cancellationToken);
        }
        if (result.Ok)
        {
            AccountsLog.ConnectionPassed(logger, settings.Username, settings.ImapHost, settings.SmtpHost);
        }
        else
        {
            AccountsLog.ConnectionFailed(logger, settings.Username, result.FailedStep!.Value.Describe(), result.Failure!.Value, result.Detail);
        }
        return result;
    }

    private IMailService Imap() => clients.CreateImap(options.Value.ConnectionTimeout);

    private IMailService Smtp() => clients.CreateSmtp(options.Value.ConnectionTimeout);

    /// <summary>Connects (<paramref name="connectStep"/>) then logs in (the step after it); with <paramref name="retry"/>, once more on a new connection after a refused login.</summary>
    private async Task<ConnectionTestResult> RunAsync(Func<IMailService> create, ConnectionStep connectStep, string host, int port, MailSecurity security, LoginSource login, bool retry, CancellationToken cancellationToken)
    {
        var result = await RunOnceAsync(create(), connectStep, host, port, security, login, false, cancellationToken);
        return retry && result.Failure == ConnectionFailure.AuthenticationRefused && !result.NeedsReauthentication
            ? await RunOnceAsync(create(), connectStep, host, port, security, login, true, cancellationToken)
            : result;
    }

    private async Task<ConnectionTestResult> RunOnceAsync(IMailService client, ConnectionStep connectStep, string host, int port, MailSecurity security, LoginSource login, bool afterRefusal, CancellationToken cancellationToken)
    {
        using var _ = client;
        var loginStep = connectStep + 1;
        var step = connectStep;
        try
        {
            await connector.ConnectAsync(client, host, port, security, cancellationToken);
            step = loginStep;
            using (var loginBudget = connector.Budget(cancellationToken))
            {
                await MailConnector.LogInOnceAsync(client, await login(afterRefusal, loginBudget.Token), loginBudget.Token);
                await client.DisconnectAsync(true, loginBudget.Token);
            }
            return ConnectionTestResult.Passed;
        }
        catch (ReauthenticationRequiredException e)
        {
            // No second try: only the member signing in again helps.
            return ConnectionTestResult.Failed(step, ConnectionFailure.AuthenticationRefused, e.Message) with { NeedsReauthentication = true };
        }
        // The step's budget or MailKit's own I/O time-out (the same length), whichever noticed first.
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ConnectionTestResult.Failed(step, ConnectionFailure.TimedOut, $"{host}:{port} did not answer within {options.Value.ConnectionTimeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (Classify(e, step, host, port) is { } failure)
        {
            return ConnectionTestResult.Failed(step, failure.Kind, failure.Detail);
        }
    }

    private static (ConnectionFailure Kind, string Detail)? Classify(Exception e, ConnectionStep step, string host, int port) => e switch
    {
        HostNotAllowedException h => (ConnectionFailure.HostNotAllowed, h.Message + " Ask your administrator if this mail server is on your own network."),
        AuthenticationException => (ConnectionFailure.AuthenticationRefused, $"{host} refused the username or password."),
        // 530/534/535 without MailKit's own AuthenticationException: e.g. Microsoft 365's 5.7.139 "SMTP AUTH disabled".
        SmtpCommandException s when step == ConnectionStep.LoginSmtp && (int)s.StatusCode is 530 or 534 or 535
            => (ConnectionFailure.AuthenticationRefused, $"{host} refused the login: {(int)s.StatusCode} {s.Message}"),
        SocketException s => (ConnectionFailure.Unreachable, $"Could not connect to {host}:{port}: {Describe(s.SocketErrorCode)}."),
        SslHandshakeException => (ConnectionFailure.TlsFailed, $"TLS with {host}:{port} failed: the server's certificate is not trusted, or it does not speak TLS on this port."),
        NotSupportedException when step is ConnectionStep.ConnectImap or ConnectionStep.ConnectSmtp
            => (ConnectionFailure.TlsFailed, $"{host}:{port} does not offer STARTTLS."),
        NotSupportedException => (ConnectionFailure.ProtocolError, $"{host}:{port} offers no way to log in on this connection; try TLS."),
        ProtocolException or CommandException or IOException
            => (ConnectionFailure.ProtocolError, $"{host}:{port} did not answer as an {(step <= ConnectionStep.LoginImap ? "IMAP" : "SMTP")} server: check the port and the security setting."),
        _ => null,
    };

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "the connection was refused (nothing listens on that port)",
        SocketError.HostNotFound or SocketError.NoData => "the host name is unknown",
        SocketError.TimedOut => "the connection timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "the host cannot be reached",
        _ => error.ToString(),
    };
}
