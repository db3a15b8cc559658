using System.Security.Claims;
using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.People;

/// <summary>Loads the signed-in member from the database, so every check uses today's role.</summary>
public static class CurrentUser
{
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
        return user.IsDeactivated
            ? throw new AppProblem(StatusCodes.Status401Unauthorized, "account_deactivated", "An admin deactivated this account.")
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
