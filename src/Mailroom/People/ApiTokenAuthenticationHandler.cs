using System.Security.Claims;
using System.Text.Encodings.Web;
using Mailroom.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.People;

/// <summary>Authenticates <c>Authorization: Bearer mr_…</c> personal API tokens.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, MailroomDb db, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        var hash = ApiTokens.HashOf(token);
        var match = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { u.Id, u.DisplayName, u.LockoutEnd, t.ExpiresAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        // Only deactivation ends a member's tokens. A lockout after wrong passwords does not:
        // anyone who knows an email could otherwise switch off that member's integrations.
        if (match is null
            || (match.ExpiresAt is { } expiry && expiry <= time.GetUtcNow())
            || (match.LockoutEnd is { } end && end >= User.DeactivatedUntil))
        {
            return AuthenticateResult.Fail("The API token is unknown, expired or revoked, or its owner was deactivated.");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, match.Id.ToString()), new Claim(ClaimTypes.Name, match.DisplayName)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
