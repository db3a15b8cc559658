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
public sealed class ConnectionTester(MailClientFactory clients, MailConnector connector, IOptions<AccountOptions> options, ILogger<ConnectionTester> logger)
{
    public async Task<ConnectionTestResult> TestAsync(MailboxSettings settings, CancellationToken cancellationToken)
    {
        var timeout = options.Value.ConnectionTimeout;
        var result = await RunAsync(clients.CreateImap(timeout), ConnectionStep.ConnectImap, settings.ImapHost, settings.ImapPort, settings.ImapSecurity, settings, cancellationToken);
        if (result.Ok)
        {
            result = await RunAsync(clients.CreateSmtp(timeout), ConnectionStep.ConnectSmtp, settings.SmtpHost, settings.SmtpPort, settings.SmtpSecurity, settings, cancellationToken);
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

    /// <summary>Connects (<paramref name="connectStep"/>) then logs in (the step after it) with one client.</summary>
    private async Task<ConnectionTestResult> RunAsync(IMailService client, ConnectionStep connectStep, string host, int port, MailSecurity security, MailboxSettings settings, CancellationToken cancellationToken)
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
                await MailConnector.LogInOnceAsync(client, AccountLogin.WithPassword(settings.Username, settings.Password), loginBudget.Token);
                await client.DisconnectAsync(true, loginBudget.Token);
            }
            return ConnectionTestResult.Passed;
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
