using System.Globalization;
using System.Security.Claims;
using Mailroom.Storage;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.People;

/// <summary>
/// Times as the signed-in member reads them: in their own zone, with a relative form for the
/// recent past. One per request (or circuit); the zone is read once, through a DbContext of its
/// own so it never races the page's.
/// </summary>
public sealed class TimeDisplay(AuthenticationStateProvider authentication, IServiceScopeFactory scopes, TimeProvider clock)
{
    private Task<TimeZoneInfo>? _zone;

    public DateTimeOffset Now => clock.GetUtcNow();

    public Task<TimeZoneInfo> ZoneAsync() => _zone ??= LoadZoneAsync();

    /// <summary>The member's zone, or UTC for a zone they never chose or this server does not know.</summary>
    public static TimeZoneInfo Resolve(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>IANA ids this server knows, for the profile's picker.</summary>
    public static IReadOnlyList<string> KnownZones { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Select(z => z.Id).Where(id => id.Contains('/') || id == "UTC").Append("UTC").Distinct().Order(StringComparer.Ordinal).ToList();

    public static bool IsKnown(string? id) => id is not null && KnownZones.Contains(id, StringComparer.Ordinal);

    /// <summary>"just now", "5 min ago", "3 h ago", "yesterday, 14:05", "3 Mar", "3 Mar 2025"; the future reads "in 5 min", "tomorrow, 09:00".</summary>
    public static string Relative(DateTimeOffset value, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(value, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var age = now - value;
        var days = (today - local.Date).Days;
        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        return age.TotalSeconds switch
        {
            > -60 and < 60 => "just now",
            >= 60 and < 3600 => $"{(int)age.TotalMinutes} min ago",
            <= -60 and > -3600 => $"in {(int)Math.Ceiling(-age.TotalMinutes)} min",
            _ when days == 0 && age > TimeSpan.Zero => $"{(int)age.TotalHours} h ago",
            _ when days == 0 => $"today, {time}",
            _ when days == 1 => $"yesterday, {time}",
            _ when days == -1 => $"tomorrow, {time}",
            _ when local.Year == today.Year => local.ToString("d MMM", CultureInfo.InvariantCulture),
            _ => local.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The whole local time, for a tooltip: "Tuesday 3 March 2026, 14:05 (Europe/Paris)".</summary>
    public static string Full(DateTimeOffset value, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(value, zone).ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Id})";

    private async Task<TimeZoneInfo> LoadZoneAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        if (!Guid.TryParse(state.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return TimeZoneInfo.Utc;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
        var id = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.TimeZone).FirstOrDefaultAsync();
        return Resolve(id);
    }
}
