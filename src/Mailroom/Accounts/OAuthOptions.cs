using System.ComponentModel.DataAnnotations;

namespace Mailroom.Accounts;

/// <summary>OAuth 2.0 mailbox links, bound from <c>Mailroom:Accounts:OAuth</c>.</summary>
public sealed class OAuthOptions : IValidatableObject
{
    public const string SectionName = "Mailroom:Accounts:OAuth";

    public OAuthProviderOptions Google { get; set; } = new()
    {
        AuthorizeUrl = "https://accounts.google.com/o/oauth2/v2/auth",
        TokenUrl = "https://oauth2.googleapis.com/token",
        // https://mail.google.com/ is the one scope Gmail's IMAP and SMTP accept XOAUTH2 tokens for.
        Scopes = "openid email https://mail.google.com/",
        AuthorizeParameters = new() { ["access_type"] = "offline", ["prompt"] = "consent" },
    };

    public OAuthProviderOptions Microsoft { get; set; } = new()
    {
        AuthorizeUrl = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        TokenUrl = "https://login.microsoftonline.com/common/oauth2/v2.0/token",
        // offline_access: a refresh token. One access token serves one resource, so Graph's Mail.Send
        // is consented here and its token asked for separately (GraphScopes).
        Scopes = "openid email offline_access https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send https://graph.microsoft.com/Mail.Send",
        GraphScopes = "https://graph.microsoft.com/Mail.Send offline_access",
    };

    /// <summary>
    /// The callback URL registered with the providers. Unset, it is built from the request
    /// (<c>/settings/email-accounts/oauth/callback</c> on the host the member uses), which is right
    /// behind a proxy only when forwarded headers are trusted.
    /// </summary>
    public string? RedirectUrl { get; set; }

    /// <summary>How long a member has to finish at the provider before the state expires.</summary>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An access token closer to its expiry than this is refreshed before use.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    public OAuthProviderOptions For(OAuthProvider provider) => provider == OAuthProvider.Google ? Google : Microsoft;

    public IEnumerable<OAuthProvider> Offered => Enum.GetValues<OAuthProvider>().Where(p => For(p).Configured);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var provider in Offered)
        {
            var options = For(provider);
            if (!Uri.TryCreate(options.AuthorizeUrl, UriKind.Absolute, out _) || !Uri.TryCreate(options.TokenUrl, UriKind.Absolute, out _))
            {
                yield return new ValidationResult($"{provider}: AuthorizeUrl and TokenUrl must be absolute URLs.", [provider.ToString()]);
            }
            if (string.IsNullOrWhiteSpace(options.ClientSecret))
            {
                yield return new ValidationResult($"{provider}: a ClientId needs its ClientSecret.", [provider.ToString()]);
            }
        }
        if (RedirectUrl is { } redirect && !Uri.TryCreate(redirect, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("RedirectUrl must be an absolute URL.", [nameof(RedirectUrl)]);
        }
    }
}
