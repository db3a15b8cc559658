using Mailroom.Storage;

namespace Mailroom.People;

/// <summary>A personal API token. Only its SHA-256 hash is stored; the token is shown once.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; } = Ids.New();
    public Guid UserId { get; set; }

    /// <summary>What its owner uses it for ("CI", "laptop"), so they know which one to revoke.</summary>
    public required string Name { get; set; }

    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>After this the token is refused (401); null: until revoked.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
