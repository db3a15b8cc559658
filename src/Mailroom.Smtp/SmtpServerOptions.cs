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

    /// <summary>Bad commands tolerated before the session is closed.</summary>
    public int MaxErrors { get; set; } = 20;

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
