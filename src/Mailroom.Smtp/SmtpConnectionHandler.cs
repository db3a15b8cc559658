using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mailroom.Smtp.Limits;
using Mailroom.Smtp.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Smtp;

/// <summary>
/// The Kestrel connection handler that speaks SMTP (RFC 5321) or LMTP (RFC 2033) on the mail
/// endpoint, with SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531), PIPELINING
/// (RFC 2920), ENHANCEDSTATUSCODES (RFC 2034/3463) and STARTTLS (RFC 3207).
/// One instance serves every connection.
/// </summary>
public sealed class SmtpConnectionHandler : ConnectionHandler
{
    private readonly IServiceScopeFactory _scopes;
    private readonly SmtpServerOptions _options;
    private readonly ILogger<SmtpConnectionHandler> _logger;
    private readonly CancellationToken _stopping;
    private readonly SslStreamCertificateContext? _certificate;
    private readonly ClientLimiter _clients;
    private readonly BodyBudget _budget;
    private int _activeSessions;

    public SmtpConnectionHandler(
        IServiceScopeFactory scopes,
        IOptions<SmtpServerOptions> options,
        ILogger<SmtpConnectionHandler> logger,
        ClientLimiter clients,
        BodyBudget budget,
        IHostApplicationLifetime? lifetime = null)
    {
        _scopes = scopes;
        _clients = clients;
        _budget = budget;
        _options = options.Value;
        _logger = logger;
        _stopping = lifetime?.ApplicationStopping ?? CancellationToken.None;

        // Loaded once, here, so a wrong password fails the start-up rather than every STARTTLS.
        if (!string.IsNullOrEmpty(_options.CertificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(_options.CertificatePath, _options.CertificatePassword);
            _certificate = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        }
    }

    /// <summary>Sessions currently open.</summary>
    public int ActiveSessions => Volatile.Read(ref _activeSessions);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var active = Interlocked.Increment(ref _activeSessions);
        try
        {
            if (active > _options.MaxConcurrentSessions)
            {
                // RFC 5321 §3.1: a server that cannot serve now answers 421 instead of 220.
                SmtpLog.TooManySessions(_logger, connection.RemoteEndPoint, _options.MaxConcurrentSessions);
                SmtpReplyWriter.Write(connection.Transport.Output, 421, "4.3.2", $"{_options.HostName} Too many connections, try again later");
                await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
                return;
            }

            var refusal = _clients.Admit(connection.RemoteEndPoint, out var client);
            if (refusal != ClientLimiter.Refusal.None)
            {
                // Postfix's anvil answers the same: 421 4.7.0, then hangs up; other addresses are unaffected.
                SmtpLog.ClientLimited(_logger, connection.RemoteEndPoint, refusal.ToString());
                var text = refusal == ClientLimiter.Refusal.TooManySessions
                    ? "Too many connections from your address"
                    : "Too many connections from your address per minute, slow down";
                SmtpReplyWriter.Write(connection.Transport.Output, 421, "4.7.0", $"{_options.HostName} {text}");
                await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
                return;
            }

            try
            {
                await using var session = new SmtpSession(connection, _options, _scopes, _logger, _certificate, client, _budget, _stopping);
                try
                {
                    await session.RunAsync();
                }
                catch (Exception exception)
                {
                    SmtpLog.SessionFailed(_logger, exception, connection.ConnectionId);
                }
            }
            finally
            {
                _clients.Release(client);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _activeSessions);
        }
    }
}
