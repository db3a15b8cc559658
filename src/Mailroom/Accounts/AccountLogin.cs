namespace Mailroom.Accounts;

/// <summary>
/// What one login presents: a password, or an OAuth 2.0 access token. In clear only for the
/// length of a connection; never logged (ToString hides both).
/// </summary>
public sealed record AccountLogin(string Username, string? Password, string? AccessToken)
{
    public static AccountLogin WithPassword(string username, string password) => new(username, password, null);

    public static AccountLogin WithToken(string username, string accessToken) => new(username, null, accessToken);

    public override string ToString() => $"{Username} ({(AccessToken is null ? "password" : "OAuth token")})";
}
