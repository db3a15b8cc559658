using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.People;

/// <summary>A member's own API tokens: each member lists, names and revokes only theirs.</summary>
public sealed class ApiTokenService(MailroomDb db, TimeProvider time)
{
    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(User actor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == actor.Id && t.RevokedAt == null).ToListAsync(cancellationToken);
        return tokens.OrderBy(t => t.CreatedAt).Select(t => View(t, now)).ToList();
    }

    /// <summary>The secret is returned here once; afterwards only its hash exists.</summary>
    public async Task<(ApiTokenView Token, string Secret)> CreateAsync(User actor, string? name, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var (token, secret) = ApiTokens.Issue(db, actor.Id, name, expiresAt, now);
        await db.SaveChangesAsync(cancellationToken);
        return (View(token, now), secret);
    }

    public async Task RevokeAsync(User actor, Guid tokenId, CancellationToken cancellationToken = default)
    {
        // Another member's token is "not found", not "forbidden": its existence is not theirs to learn.
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == actor.Id && t.RevokedAt == null, cancellationToken)
            ?? throw AppProblem.NotFound("The token");
        token.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Revokes every token of the member, saved with the caller's next save.</summary>
    public async Task RevokeAllAsync(User actor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        foreach (var token in await db.ApiTokens.Where(t => t.UserId == actor.Id && t.RevokedAt == null).ToListAsync(cancellationToken))
        {
            token.RevokedAt = now;
        }
    }

    private static ApiTokenView View(ApiToken t, DateTimeOffset now) => new(t.Id, t.Name, t.CreatedAt, t.ExpiresAt, t.ExpiresAt is { } e && e <= now);
}
