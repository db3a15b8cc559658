using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Mailroom.Accounts;

/// <summary>
/// The one way Mailroom reaches a member's mail server: a socket to an address the
/// <see cref="HostGuard"/> vetted (never a second resolution of the name), MailKit's handshake,
/// then one login attempt. The connection test, the outbox's sender and the IMAP watcher all
/// connect through here, so what the test proved is what the others do.
/// </summary>
public sealed class MailConnector(MailClientFactory clients, HostGuard guard, IOptions<AccountOptions> options)
{
    /// <summary>Connects <paramref name="client"/> to host:port with <paramref name="security"/>, within the connection time-out.</summary>
    public async Task ConnectAsync(IMailService client, string host, int port, MailSecurity security, CancellationToken cancellationToken)
    {
        using var budget = Budget(cancellationToken);
        var socket = await OpenSocketAsync(host, port, budget.Token);
        try
        {
            await client.ConnectAsync(socket, host, port, security.ToMailKit(), budget.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An IMAP client, connected and logged in to the account's server.</summary>
    public Task<IImapClient> OpenImapAsync(MailAccount account, AccountLogin login, CancellationToken cancellationToken) =>
        OpenAsync(clients.CreateImap(options.Value.ConnectionTimeout), account.ImapHost, account.ImapPort, account.ImapSecurity, login, cancellationToken);

    /// <summary>An SMTP submission client, connected and logged in to the account's server.</summary>
    public Task<MailKit.Net.Smtp.ISmtpClient> OpenSmtpAsync(MailAccount account, AccountLogin login, CancellationToken cancellationToken) =>
        OpenAsync(clients.CreateSmtp(options.Value.ConnectionTimeout), account.SmtpHost, account.SmtpPort, account.SmtpSecurity, login, cancellationToken);

    private async Task<T> OpenAsync<T>(T client, string host, int port, MailSecurity security, AccountLogin login, CancellationToken cancellationToken)
        where T : IMailService
    {
        try
        {
            await ConnectAsync(client, host, port, security, cancellationToken);
            using var budget = Budget(cancellationToken);
            await LogInOnceAsync(client, login, budget.Token);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One login attempt with the best mechanism offered for the credential. MailKit's own loop
    /// would try every mechanism and then IMAP's LOGIN command: one wrong password would count as
    /// three failures against the member's lockout limit at the provider.
    /// </summary>
    public static async Task LogInOnceAsync(IMailService client, AccountLogin login, CancellationToken cancellationToken)
    {
        if (login.AccessToken is { } token)
        {
            // OAuth 2.0 bearer tokens: XOAUTH2 (Google, Microsoft) or OAUTHBEARER (RFC 7628).
            SaslMechanism oauth = client.AuthenticationMechanisms.Contains("OAUTHBEARER", StringComparer.OrdinalIgnoreCase)
                && !client.AuthenticationMechanisms.Contains("XOAUTH2", StringComparer.OrdinalIgnoreCase)
                ? new SaslMechanismOAuthBearer(login.Username, token)
                : new SaslMechanismOAuth2(login.Username, token);
            await client.AuthenticateAsync(oauth, cancellationToken);
            return;
        }
        var credentials = new NetworkCredential(login.Username, login.Password);
        var mechanism = PasswordMechanisms.FirstOrDefault(m => client.AuthenticationMechanisms.Contains(m, StringComparer.OrdinalIgnoreCase));
        if (mechanism is not null)
        {
            SaslMechanism sasl = mechanism switch
            {
                "SCRAM-SHA-256" => new SaslMechanismScramSha256(credentials),
                "SCRAM-SHA-1" => new SaslMechanismScramSha1(credentials),
                "PLAIN" => new SaslMechanismPlain(credentials),
                _ => new SaslMechanismLogin(credentials),
            };
            await client.AuthenticateAsync(sasl, cancellationToken);
            return;
        }
        if (client is not IImapClient)
        {
            throw new NotSupportedException("No password mechanism offered.");
        }
        // No SASL mechanism a password works with: IMAP's LOGIN command alone (RFC 9051 6.2.3).
        client.AuthenticationMechanisms.Clear();
        await client.AuthenticateAsync(credentials, cancellationToken);
    }

    /// <summary>The SASL mechanisms a password logs in with, strongest first (SCRAM never sends the password itself).</summary>
    private static readonly string[] PasswordMechanisms = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "LOGIN"];

    public CancellationTokenSource Budget(CancellationToken cancellationToken)
    {
        var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(options.Value.ConnectionTimeout);
        return budget;
    }

    private async Task<Socket> OpenSocketAsync(string host, int port, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var address in await guard.ResolveAsync(host, cancellationToken))
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
