namespace Mailroom.Accounts;

/// <summary>
/// One identity provider's OAuth 2.0 client, bound from <c>Mailroom:Accounts:OAuth:Google</c> or
/// <c>…:Microsoft</c>. The operator registers Mailroom with the provider and puts the client id and
/// secret here; a provider without a client id is not offered. The URLs default to the real
/// provider's and may point elsewhere (a tenant-specific Microsoft endpoint, or a test's stand-in).
/// </summary>
public sealed class OAuthProviderOptions
{
    public string? ClientId { get; set; }

    /// <summary>Never logged; sent only to <see cref="TokenUrl"/>.</summary>
    public string? ClientSecret { get; set; }

    public string AuthorizeUrl { get; set; } = "";
    public string TokenUrl { get; set; } = "";

    /// <summary>Space-separated, as the authorize request sends them.</summary>
    public string Scopes { get; set; } = "";

    /// <summary>
    /// Where the mailbox's address is read when set (a GET with the access token; its <c>email</c>,
    /// <c>mail</c> or <c>userPrincipalName</c>); otherwise the id token's <c>email</c> claim.
    /// </summary>
    public string? UserInfoUrl { get; set; }

    /// <summary>Extra authorize parameters (Google: offline access and a consent prompt, so a refresh token is issued every time).</summary>
    public Dictionary<string, string> AuthorizeParameters { get; set; } = [];

    /// <summary>Microsoft only: the scope of a token for Graph's sendMail, asked for with the refresh token when a message goes by Graph.</summary>
    public string? GraphScopes { get; set; }

    /// <summary>The mailbox's servers; the provider's preset (<see cref="ProviderCatalog"/>) unless set.</summary>
    public string? ImapHost { get; set; }
    public int? ImapPort { get; set; }
    public MailSecurity? ImapSecurity { get; set; }
    public string? SmtpHost { get; set; }
    public int? SmtpPort { get; set; }
    public MailSecurity? SmtpSecurity { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(ClientId);
}
