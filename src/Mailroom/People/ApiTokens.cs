using System.Security.Cryptography;
using System.Text;
using Mailroom.Hosting;
using Mailroom.Storage;

namespace Mailroom.People;

/// <summary>Issues personal API tokens; the database keeps only their hashes.</summary>
public static class ApiTokens
{
    public const int MaxNameLength = 200;

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Adds a token for the user to the context (not saved) and returns it with its secret text.</summary>
    public static (ApiToken Token, string Secret) Issue(MailroomDb db, Guid userId, string? name, DateTimeOffset? expiresAt = null, DateTimeOffset? now = null)
    {
        name = string.IsNullOrWhiteSpace(name) ? "API token" : name.Trim();
        if (name.Length > MaxNameLength)
        {
            throw AppProblem.Invalid("invalid_name", $"Give the token a name of at most {MaxNameLength} characters.");
        }
        if (expiresAt is { } expiry && expiry <= (now ?? DateTimeOffset.UtcNow))
        {
            throw AppProblem.Invalid("invalid_expiry", "A token's expiry must be in the future (or left out for a token that lasts until revoked).");
        }
        var secret = "mr_" + Base32.Random(32);
        var token = new ApiToken { UserId = userId, Name = name, TokenHash = HashOf(secret), ExpiresAt = expiresAt };
        if (now is { } created)
        {
            token.CreatedAt = created;
        }
        db.ApiTokens.Add(token);
        return (token, secret);
    }
}
