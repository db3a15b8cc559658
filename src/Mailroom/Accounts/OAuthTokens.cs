namespace Mailroom.Accounts;

/// <summary>An OAuth account's tokens. In clear only inside the server's memory; ToString hides them.</summary>
public sealed record OAuthTokens(string RefreshToken, string AccessToken, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"OAuth tokens (access token expires {ExpiresAt:O})";
}
