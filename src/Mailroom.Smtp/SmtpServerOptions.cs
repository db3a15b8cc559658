namespace Mailroom.Smtp;

/// <summary>Options of the mail listener, bound from <c>Mailroom:Smtp</c>.</summary>
public sealed class SmtpServerOptions
{
    public const string SectionName = "Mailroom:Smtp";

    /// <summary>Whether to listen at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>IP address to bind (default loopback).</summary>
    public string Address { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 2525;

    /// <summary><c>smtp</c> (RFC 5321) or <c>lmtp</c> (RFC 2033).</summary>
    public string Mode { get; set; } = "smtp";

    /// <summary>Name announced in the greeting and EHLO reply.</summary>
    public string HostName { get; set; } = "mailroom.localhost";

    /// <summary>Largest message accepted, in bytes, advertised with SIZE (RFC 1870).</summary>
    public long MaxMessageSize { get; set; } = 50 * 1024 * 1024;

    public int MaxRecipients { get; set; } = 100;

    /// <summary>Longest command line, CRLF included (RFC 5321 §4.5.3.1.4 says at least 512).</summary>
    public int MaxCommandLineLength { get; set; } = 2048;

    /// <summary>Longest text line inside DATA, CRLF included (RFC 5321 §4.5.3.1.6 says at least 1000).</summary>
    public int MaxDataLineLength { get; set; } = 64 * 1024;

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxConcurrentSessions { get; set; } = 500;

    /// <summary>
    /// Errors (bad commands, refused recipients) tolerated before the session is closed with
    /// <c>421 4.7.0</c> (Postfix's <c>smtpd_hard_error_limit</c>).
    /// </summary>
    public int MaxErrors { get; set; } = 20;

    /// <summary>
    /// Errors after which every further reply is delayed by <see cref="ErrorDelay"/>, which slows
    /// down address probing (Postfix's <c>smtpd_soft_error_limit</c>).
    /// </summary>
    public int SoftErrorLimit { get; set; } = 10;

    /// <summary>How long each reply waits once <see cref="SoftErrorLimit"/> is passed (<c>smtpd_error_sleep_time</c>).</summary>
    public TimeSpan ErrorDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest a session may last, whatever it does; then <c>421 4.4.2</c>.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Slowest DATA accepted, in bytes per second, measured over each <see cref="DataRateWindow"/>
    /// (the first one is the grace period); a slower client gets <c>421 4.4.2</c> and its partial
    /// message is dropped (slowloris). 0 turns the check off.
    /// </summary>
    public int MinDataRate { get; set; } = 1024;

    public TimeSpan DataRateWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sessions open at once from one client address (<c>smtpd_client_connection_count_limit</c>); 0: no limit.</summary>
    public int MaxSessionsPerClient { get; set; } = 20;

    /// <summary>Connections per minute from one client address (<c>smtpd_client_connection_rate_limit</c>); 0: no limit.</summary>
    public int MaxConnectionsPerMinute { get; set; } = 120;

    /// <summary>MAIL commands per minute from one client address (<c>smtpd_client_message_rate_limit</c>); 0: no limit.</summary>
    public int MaxMessagesPerMinute { get; set; } = 600;

    /// <summary>RCPT commands per minute from one client address (<c>smtpd_client_recipient_rate_limit</c>); 0: no limit.</summary>
    public int MaxRecipientsPerMinute { get; set; } = 3000;

    /// <summary>
    /// Networks (CIDR, comma-separated, e.g. <c>127.0.0.0/8,10.0.0.0/8</c>) whose clients no
    /// per-client limit applies to: a relay in front, or a benchmark. Loopback is not exempt by default.
    /// </summary>
    public string LimitExemptNetworks { get; set; } = "";

    /// <summary>
    /// A message body larger than this is written to a file in <see cref="SpoolDirectory"/> while
    /// it is received, instead of being held in memory.
    /// </summary>
    public int SpoolThreshold { get; set; } = 1024 * 1024;

    /// <summary>Bytes of message bodies held in memory by all sessions together; past it, bodies are spooled at once.</summary>
    public long MaxBufferedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Where large bodies are spooled; the application sets it next to its blob store (same file system, so a spooled body is renamed into place).</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>PFX/PKCS#12 certificate for STARTTLS; STARTTLS is offered only when set.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>
    /// <c>epoll</c> (default, Linux): event-loop threads that read every mail connection and run
    /// the sessions inline, the fewest thread hand-offs per SMTP round trip; <c>sockets</c>:
    /// Kestrel's socket transport, as for HTTP (used where epoll does not exist).
    /// </summary>
    public string Transport { get; set; } = "epoll";

    public bool UseEventLoopTransport =>
        string.Equals(Transport, "epoll", StringComparison.OrdinalIgnoreCase) && Mailroom.Smtp.Transport.EventLoopTransportFactory.IsSupported;

    public bool IsLmtp => string.Equals(Mode, "lmtp", StringComparison.OrdinalIgnoreCase);
}
