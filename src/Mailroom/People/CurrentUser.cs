using System.Security.Claims;
using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.People;

/// <summary>Loads the signed-in member from the database, so every check uses today's role.</summary>
public static class CurrentUser
{
    /// <summary>Identity's claim type for the stamp (<c>IdentityOptions.ClaimsIdentity.SecurityStampClaimType</c>, left at its default).</summary>
    private const string SecurityStampClaim = "AspNet.Identity.SecurityStamp";

    public static async Task<User> RequireAsync(this MailroomDb db, ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null || !Guid.TryParse(id, out var userId))
        {
            throw new AppProblem(StatusCodes.Status401Unauthorized, "unauthenticated", "Sign in, or send a personal API token as 'Authorization: Bearer …'.");
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new AppProblem(StatusCodes.Status401Unauthorized, "unauthenticated", "Your account no longer exists.");
        // A session started before an admin deactivated the account ends with its next request.
        if (user.IsDeactivated)
        {
            throw new AppProblem(StatusCodes.Status401Unauthorized, "account_deactivated", "An admin deactivated this account.");
        }
        // Cookie sessions carry the security stamp they were issued with; a password change that
        // signed out other sessions gave the account a new one. (API tokens carry none: revoking
        // them is what ends them.)
        var stamp = principal.FindFirstValue(SecurityStampClaim);
        return stamp is not null && stamp != user.SecurityStamp
            ? throw new AppProblem(StatusCodes.Status401Unauthorized, "session_ended", "This session was signed out from another one. Sign in again.")
            : user;
    }

    public static void RequireAdmin(this User user)
    {
        if (!user.IsAdmin)
        {
            throw AppProblem.Forbidden("Only the workspace's owner and admins may do this.");
        }
    }
}
