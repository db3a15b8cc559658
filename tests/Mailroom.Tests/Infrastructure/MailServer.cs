using System.Diagnostics;
using MailKit.Net.Smtp;
using MimeKit;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// A real mail provider on loopback, as a connected mailbox sees one: Dovecot serving IMAP
/// (IDLE on, SPECIAL-USE Sent) and SMTP submission for the users of a passwd file, submission
/// relayed to a Postfix that delivers every address of <see cref="Domain"/> into Dovecot over
/// LMTP. Submitted mail passes a cleanup of its own, where optional header checks stand in for a
/// provider that rewrites headers on the way (Outlook replacing the Message-ID) and, optionally,
/// a copy goes to the sender's Sent folder (as Gmail and Outlook file it): mail from outside
/// (<see cref="DeliverAsync"/>) is never touched by either.
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _dovecotConf;
    private readonly string _postfixConf;
    private Process? _dovecot;

    private MailServer(string root, string domain)
    {
        _root = root;
        Domain = domain;
        _dovecotConf = Path.Combine(root, "dovecot.conf");
        _postfixConf = Path.Combine(root, "postfix");
        ImapPort = FreePort.Next();
        SubmissionPort = FreePort.Next();
        LmtpPort = FreePort.Next();
        RelayPort = FreePort.Next();
        SubmissionRelayPort = FreePort.Next();
    }

    public string Domain { get; }
    public int ImapPort { get; }
    public int SubmissionPort { get; }
    public int LmtpPort { get; }
    public int RelayPort { get; }

    /// <summary>Where Dovecot's submission hands mail on: Postfix's smtpd with the submission cleanup.</summary>
    public int SubmissionRelayPort { get; }

    /// <summary>Dovecot's master process (its imap, login and auth processes are its children), for what only /proc tells: memory and CPU.</summary>
    public int DovecotProcessId => _dovecot?.Id ?? throw new InvalidOperationException("Dovecot is not running.");

    public string DovecotLog => ReadOrNone(Path.Combine(_root, "dovecot.log"));
    public string MailLog => ReadOrNone(Path.Combine(_root, "maillog"));

    /// <summary>
    /// Starts Dovecot and its relay with one mailbox per (user, password); users log in with their full address.
    /// <paramref name="dovecotSettings"/> and <paramref name="postfixSettings"/> are appended to
    /// dovecot.conf and main.cf (later lines win): e.g. a SIZE limit, or refusing unknown users at RCPT.
    /// </summary>
    /// <param name="oauthIntrospectionUrl">Set: XOAUTH2 and OAUTHBEARER are accepted too, each token checked at this RFC 7662 endpoint (an <see cref="OAuthStandIn"/>).</param>
    /// <param name="headerChecks">A Postfix regexp header_checks table applied to submitted mail only, e.g. a Message-ID REPLACE.</param>
    /// <param name="filesSentCopies">The provider files a copy of each submitted message in the sender's Sent folder itself (after the header checks, so the copy carries what the recipients got).</param>
    public static async Task<MailServer> StartAsync(IEnumerable<(string User, string Password)> users, string domain = "mail.test", string? headerChecks = null,
        string? dovecotSettings = null, string? postfixSettings = null, string? oauthIntrospectionUrl = null, bool filesSentCopies = false)
    {
        Daemons.RequireRoot("A real Dovecot and Postfix");
        if (!File.Exists("/usr/sbin/dovecot") || !File.Exists("/usr/sbin/postfix"))
        {
            throw new InvalidOperationException("Dovecot or Postfix is not installed: run test.sh once (it installs dovecot-imapd, dovecot-submissiond, dovecot-lmtpd and postfix).");
        }
        var root = Directory.CreateTempSubdirectory("mailroom-mailserver-").FullName;
        var server = new MailServer(root, domain);
        try
        {
            await server.ConfigureAsync(users, headerChecks, dovecotSettings, postfixSettings, oauthIntrospectionUrl, filesSentCopies);
            await Daemons.RunAsync("postfix", "-c", server._postfixConf, "start");
            await Daemons.WaitForPortAsync(server.RelayPort, () => server.DovecotLog + server.MailLog);
            await Daemons.WaitForPortAsync(server.SubmissionRelayPort, () => server.DovecotLog + server.MailLog);
            await server.StartImapAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string Address(string user) => $"{user}@{Domain}";

    /// <summary>Starts Dovecot (IMAP, submission, LMTP); again after <see cref="StopImapAsync"/>, on the same ports and mailboxes.</summary>
    public async Task StartImapAsync()
    {
        // In the foreground, as our child: a daemonised Dovecot keeps the pipes of whoever
        // started it open, so waiting for its output would never end.
        _dovecot = Process.Start(new ProcessStartInfo("/usr/sbin/dovecot", ["-F", "-c", _dovecotConf]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start Dovecot.");
        foreach (var port in new[] { LmtpPort, ImapPort, SubmissionPort })
        {
            await Daemons.WaitForPortAsync(port, () => DovecotLog + MailLog);
        }
    }

    /// <summary>The provider's IMAP server goes away (killed, as in a crash): connections drop and new ones are refused until <see cref="StartImapAsync"/>.</summary>
    public async Task StopImapAsync()
    {
        if (_dovecot is { HasExited: false })
        {
            _dovecot.Kill(entireProcessTree: true);
            await _dovecot.WaitForExitAsync();
        }
        _dovecot?.Dispose();
        _dovecot = null;
    }

    /// <summary>The member changed their password at the provider: the next login with the old one is refused.</summary>
    public async Task SetPasswordAsync(string user, string password)
    {
        var passwd = Path.Combine(_root, "passwd");
        var prefix = Address(user) + ":";
        var lines = (await File.ReadAllLinesAsync(passwd)).Select(l => l.StartsWith(prefix, StringComparison.Ordinal) ? $"{prefix}{{PLAIN}}{password}::::::" : l);
        await File.WriteAllLinesAsync(passwd, lines);
        // Dovecot's passwd-file looks at the file at most once a second: a login in the second of
        // the write could still pass with the old password (and a kicked session come straight
        // back). A second later, every login sees the new one.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
    }

    /// <summary>
    /// What the relay answers at RCPT for listed addresses, an access(5) table ("max@mail.test 451
    /// 4.3.0 try later"; empty: nothing special), then a Postfix reload: sessions that start after it
    /// get the new answers. Submission relays them to the client as they are, as a provider's would.
    /// </summary>
    public async Task SetRecipientAccessAsync(string table)
    {
        await File.WriteAllTextAsync(Path.Combine(_postfixConf, "recipient_access"), table + "\n");
        await Daemons.RunAsync("postfix", "-c", _postfixConf, "reload");
    }

    /// <summary>Ends every IMAP session of the user (doveadm kick), as a provider does after a password change.</summary>
    public Task KickAsync(string user) => Daemons.RunAsync("doveadm", "-c", _dovecotConf, "kick", Address(user));

    /// <summary>The relay tries its deferred mail again now (<c>postqueue -f</c>), as a provider's MX does on its own schedule once its mailbox server is back.</summary>
    public Task FlushQueueAsync() => Daemons.RunAsync("postqueue", "-c", _postfixConf, "-f");

    /// <summary>Delivers into the user's INBOX through the relay without authentication, as the provider's own MX would for mail from outside.</summary>
    public Task DeliverAsync(MimeMessage message, string user) => DeliverAsync([(message, user)]);

    /// <summary>Delivers several messages, each into its user's INBOX, in one session through the relay (a burst from outside).</summary>
    public async Task DeliverAsync(IEnumerable<(MimeMessage Message, string User)> messages)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", RelayPort, MailKit.Security.SecureSocketOptions.None);
        foreach (var (message, user) in messages)
        {
            await smtp.SendAsync(message, MailboxAddress.Parse(message.From.Mailboxes.FirstOrDefault()?.Address ?? $"nobody@{Domain}"), [MailboxAddress.Parse(Address(user))]);
        }
        await smtp.DisconnectAsync(true);
    }

    /// <summary>Whether the relay has delivered everything it accepted (<c>postqueue -p</c>: "Mail queue is empty").</summary>
    public async Task<bool> RelayQueueEmptyAsync() =>
        (await Daemons.RunAsync("postqueue", "-c", _postfixConf, "-p")).Contains("Mail queue is empty", StringComparison.Ordinal);

    /// <summary>What a provider does after restoring a backup or rebuilding its index: every UID changes meaning.</summary>
    public Task ChangeUidValidityAsync(string user, uint uidValidity, string mailbox = "INBOX") =>
        Daemons.RunAsync("doveadm", "-c", _dovecotConf, "mailbox", "update", "-u", Address(user), "--uid-validity", uidValidity.ToString(System.Globalization.CultureInfo.InvariantCulture), mailbox);

    private async Task ConfigureAsync(IEnumerable<(string User, string Password)> users, string? headerChecks, string? dovecotSettings, string? postfixSettings, string? oauthIntrospectionUrl, bool filesSentCopies)
    {
        // Dovecot's login processes (dovenull) and Postfix (postfix) must reach into the temp dir.
        await Daemons.RunAsync("chmod", "755", _root);
        var mail = Directory.CreateDirectory(Path.Combine(_root, "mail")).FullName;
        await Daemons.RunAsync("chown", "dovecot:dovecot", mail);
        Directory.CreateDirectory(Path.Combine(_root, "run"));
        Directory.CreateDirectory(Path.Combine(_root, "state"));
        var passwd = Path.Combine(_root, "passwd");
        await File.WriteAllLinesAsync(passwd, users.Select(u => $"{Address(u.User)}:{{PLAIN}}{u.Password}::::::"));

        var oauth = "";
        if (oauthIntrospectionUrl is not null)
        {
            var oauthConf = Path.Combine(_root, "dovecot-oauth2.conf.ext");
            await File.WriteAllTextAsync(oauthConf, $"""
                introspection_mode = post
                introspection_url = {oauthIntrospectionUrl}
                username_attribute = email
                active_attribute = active
                active_value = true

                """);
            oauth = $$"""
                passdb {
                  driver = oauth2
                  mechanisms = xoauth2 oauthbearer
                  args = {{oauthConf}}
                }
                """;
        }
        await File.WriteAllTextAsync(_dovecotConf, $$"""
            protocols = imap lmtp submission
            base_dir = {{_root}}/run
            state_dir = {{_root}}/state
            instance_name = mailroom-test-{{ImapPort}}
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login{{(oauthIntrospectionUrl is null ? "" : " xoauth2 oauthbearer")}}
            # Refused logins answer at once (the default waits 2 s), so tests of repeated refusals stay fast.
            auth_failure_delay = 0
            log_path = {{_root}}/dovecot.log
            mail_location = maildir:{{mail}}/%u
            mail_uid = dovecot
            mail_gid = dovecot
            first_valid_uid = 1
            hostname = {{Domain}}
            postmaster_address = postmaster@{{Domain}}
            # Tests open many sessions per user from one address (the default allows 10).
            mail_max_userip_connections = 200
            {{oauth}}
            passdb {
              driver = passwd-file
              args = scheme=PLAIN {{passwd}}
            }
            userdb {
              driver = static
              args = uid=dovecot gid=dovecot home={{mail}}/%u
            }
            namespace inbox {
              inbox = yes
              mailbox Sent {
                special_use = \Sent
                auto = subscribe
              }
              mailbox Trash {
                special_use = \Trash
                auto = subscribe
              }
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{ImapPort}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service lmtp {
              inet_listener lmtp {
                address = 127.0.0.1
                port = {{LmtpPort}}
              }
            }
            service submission-login {
              inet_listener submission {
                address = 127.0.0.1
                port = {{SubmissionPort}}
              }
            }
            submission_relay_host = 127.0.0.1
            submission_relay_port = {{SubmissionRelayPort}}
            submission_relay_trusted = yes
            # user+Sent@domain is filed in the user's Sent (the provider's own Sent copy, see filesSentCopies).
            recipient_delimiter = +
            lmtp_save_to_detail_mailbox = yes
            {{dovecotSettings}}
            """);

        Directory.CreateDirectory(_postfixConf);
        var queue = Directory.CreateDirectory(Path.Combine(_root, "queue")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        await Daemons.RunAsync("chown", "postfix", data);
        // Submitted mail's own cleanup: the provider's rewrites and Sent copies, never applied to mail from outside.
        var submissionCleanup = "";
        if (headerChecks is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(_postfixConf, "header_checks"), headerChecks);
            submissionCleanup += $" -o header_checks=regexp:{_postfixConf}/header_checks";
        }
        if (filesSentCopies)
        {
            await File.WriteAllTextAsync(Path.Combine(_postfixConf, "sent_copies"), $"/^([^@+]+)@{System.Text.RegularExpressions.Regex.Escape(Domain)}$/ ${{1}}+Sent@{Domain}\n");
            submissionCleanup += $" -o sender_bcc_maps=regexp:{_postfixConf}/sent_copies";
        }
        await File.WriteAllTextAsync(Path.Combine(_postfixConf, "recipient_access"), "");
        await File.WriteAllTextAsync(Path.Combine(_postfixConf, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {queue}
            data_directory = {data}
            maillog_file = {_root}/maillog
            maillog_file_prefixes = {_root}
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = relay.{Domain}
            mydestination = {Domain}
            mynetworks = 127.0.0.0/8
            local_recipient_maps =
            local_transport = lmtp:inet:127.0.0.1:{LmtpPort}
            smtp_host_lookup = native
            smtpd_recipient_restrictions = check_recipient_access texthash:{_postfixConf}/recipient_access
            {postfixSettings}

            """);
        await File.WriteAllTextAsync(Path.Combine(_postfixConf, "master.cf"), PostfixInstance.MasterCf(RelayPort) + $"""
            127.0.0.1:{SubmissionRelayPort} inet n - n - - smtpd -o cleanup_service_name=submitcleanup
            submitcleanup unix n - n - 0 cleanup{submissionCleanup}

            """);
        await Daemons.RunAsync("postfix", "-c", _postfixConf, "check");
    }

    private static string ReadOrNone(string path) => File.Exists(path) ? File.ReadAllText(path) : $"(no {Path.GetFileName(path)})";

    public async ValueTask DisposeAsync()
    {
        if (_dovecot is { HasExited: false })
        {
            _dovecot.Kill(entireProcessTree: true);
            await _dovecot.WaitForExitAsync();
        }
        _dovecot?.Dispose();
        await Daemons.StopPostfixAsync(Path.Combine(_root, "queue", "pid", "master.pid"));
        Daemons.DeleteQuietly(_root);
    }
}
