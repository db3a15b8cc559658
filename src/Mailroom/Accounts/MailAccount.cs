using Mailroom.Storage;

namespace Mailroom.Accounts;

/// <summary>A member's own mailbox, linked so that email can leave through it and replies come back.</summary>
public sealed class MailAccount
{
    public Guid Id { get; set; } = Ids.New();

    /// <summary>The member who linked it: they (and owners/admins) may remove it.</summary>
    public Guid UserId { get; set; }

    /// <summary>The address mail is sent from, lower-cased.</summary>
    public required string Email { get; set; }

    /// <summary>The display name in From ("send as"); null sends the bare address.</summary>
    public string? SendAsName { get; set; }

    public MailProvider Provider { get; set; }
    public required string ImapHost { get; set; }
    public int ImapPort { get; set; }
    public MailSecurity ImapSecurity { get; set; }
    public required string SmtpHost { get; set; }
    public int SmtpPort { get; set; }
    public MailSecurity SmtpSecurity { get; set; }

    /// <summary>The login name at the provider: often the address, but an alias or a shared box may differ.</summary>
    public required string Username { get; set; }

    /// <summary>A password, or (OAuth) a Data Protection ciphertext of the tokens with their expiry.</summary>
    public AccountAuthKind AuthKind { get; set; } = AccountAuthKind.Password;

    /// <summary>
    /// Data Protection ciphertext only, never leaving the server: the password (<see cref="AccountSecrets"/>)
    /// or, for OAuth, the refresh and access tokens with the access token's expiry (<see cref="OAuthTokenStore"/>).
    /// </summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>SMTP, Graph, or SMTP until the provider says SMTP AUTH is off for the tenant.</summary>
    public SendVia SendVia { get; set; } = SendVia.Auto;

    public AccountHealth Health { get; set; } = AccountHealth.Active;

    /// <summary>The stable code of the last failure (e.g. NEMAIL_002); null while healthy.</summary>
    public string? LastErrorCode { get; set; }

    /// <summary>
    /// The SIZE the submission server advertised in EHLO (RFC 1870), learned when the first email
    /// was queued and refreshed by every send: 0 when it advertises none, null until learned.
    /// </summary>
    public long? SmtpMaxSize { get; set; }

    /// <summary>For Custom servers: whether the server files submitted mail in Sent itself (presets say it in <see cref="ProviderPreset.SavesSentCopy"/>).</summary>
    public bool ServerSavesSentCopy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
