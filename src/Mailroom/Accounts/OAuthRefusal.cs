namespace Mailroom.Accounts;

/// <summary>
/// The provider's token endpoint refused (RFC 6749 5.2): <see cref="Error"/> is its <c>error</c>
/// (invalid_grant: the refresh token was revoked or expired; the member must sign in again).
/// The description is the provider's, never a token.
/// </summary>
public sealed class OAuthRefusal(string error, string? description) : Exception($"The provider refused: {error}{(description is null ? "" : $" ({description})")}")
{
    public string Error { get; } = error;
    public string? Description { get; } = description;

    public bool InvalidGrant => Error == "invalid_grant";
}
