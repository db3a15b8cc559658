using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.People;

/// <summary>
/// What members change about themselves: their name, password, notifications and time zone.
/// Nobody changes another member's profile here; admins manage roles on the members page.
/// </summary>
public sealed class ProfileService(MailroomDb db, UserManager<User> users, SignInManager<User> signIn, ApiTokenService tokens)
{
    public async Task RenameAsync(User me, string? displayName, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Trim().Length > 200)
        {
            throw AppProblem.Invalid("invalid_name", "Give yourself a display name of 1 to 200 characters.");
        }
        me.DisplayName = displayName.Trim();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sets what is given; null leaves a setting as it is.</summary>
    public async Task SetPreferencesAsync(User me, TaskNotifications? notifications, string? timeZone, CancellationToken cancellationToken = default)
    {
        if (notifications is { } n && !Enum.IsDefined(n))
        {
            throw AppProblem.Invalid("invalid_notifications", "Task notifications are All, Assigned or None.");
        }
        if (timeZone is not null && !TimeDisplay.IsKnown(timeZone))
        {
            throw AppProblem.Invalid("invalid_time_zone", "Choose a time zone from the list (an IANA name such as Europe/Paris).");
        }
        me.TaskNotifications = notifications ?? me.TaskNotifications;
        me.TimeZone = timeZone ?? me.TimeZone;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>At sign-in, a member who never chose a zone gets the one their browser reports.</summary>
    public async Task AdoptBrowserZoneAsync(User me, string? browserZone, CancellationToken cancellationToken = default)
    {
        if (me.TimeZone is null && TimeDisplay.IsKnown(browserZone))
        {
            if (db.Entry(me).State == EntityState.Detached)
            {
                db.Users.Attach(me);
            }
            me.TimeZone = browserZone;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Changes the password once the current one is proven (wrong guesses count toward the
    /// sign-in lockout, so a left-open session cannot be used to try passwords). The old password
    /// stops working at once. With <paramref name="endOtherSessions"/>, a new security stamp ends
    /// every other cookie session (checked on each request, see <see cref="CurrentUser"/>) and
    /// every API token is revoked; the caller re-issues its own cookie.
    /// </summary>
    /// <returns>The field the problem belongs to ("current" or "new") with the problem, or null when changed.</returns>
    public async Task<(string Field, AppProblem Problem)?> ChangePasswordAsync(User me, string? current, string? next, bool endOtherSessions, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(current))
        {
            return ("current", AppProblem.Invalid("current_password_required", "Enter your current password."));
        }
        var check = await signIn.CheckPasswordSignInAsync(me, current, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            return ("current", new AppProblem(StatusCodes.Status423Locked, "locked_out", "Too many wrong passwords: try again in a few minutes."));
        }
        if (!check.Succeeded)
        {
            return ("current", AppProblem.Invalid("wrong_password", "That is not your current password."));
        }
        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, me, next ?? "");
            errors.AddRange(result.Errors.Select(e => e.Description));
        }
        if (errors.Count > 0)
        {
            return ("new", AppProblem.Invalid("invalid_password", string.Join(" ", errors)));
        }
        me.PasswordHash = users.PasswordHasher.HashPassword(me, next!);
        if (endOtherSessions)
        {
            await tokens.RevokeAllAsync(me, cancellationToken);
            await users.UpdateSecurityStampAsync(me);
        }
        else
        {
            await users.UpdateAsync(me);
        }
        return null;
    }
}
