using MailKit.Security;

namespace Mailroom.Accounts;

/// <summary>How a connection to the provider is protected: MailKit's <see cref="SecureSocketOptions"/>, in our own stored type.</summary>
public enum MailSecurity
{
    /// <summary>Plain text; only sensible for a server on a trusted network.</summary>
    None = 0,
    /// <summary>TLS from the first byte (IMAPS 993, SMTPS 465; RFC 8314).</summary>
    SslOnConnect = 1,
    /// <summary>Plain text upgraded with STARTTLS, and refused if the server does not offer it.</summary>
    StartTls = 2,
    /// <summary>STARTTLS when offered, plain text otherwise.</summary>
    StartTlsWhenAvailable = 3,
}

public static class MailSecurityExtensions
{
    public static SecureSocketOptions ToMailKit(this MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, null),
    };
}
