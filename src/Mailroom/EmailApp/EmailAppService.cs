using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Plans;
using Mailroom.Storage;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.EmailApp;

/// <summary>The Email app's settings (B1), changed by owners and admins, every change audited.</summary>
public sealed class EmailAppService(MailroomDb db, WorkspaceService workspaces, PlanGates gates, TimeProvider clock)
{
    /// <summary>The settings as they stand; a workspace that never touched them has the app off.</summary>
    public async Task<EmailAppSettings> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        return await db.EmailAppSettings.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspace.Id, cancellationToken)
            ?? new EmailAppSettings { WorkspaceId = workspace.Id, Enabled = false };
    }

    public async Task<EmailAppSettings> GetAsync(User actor, CancellationToken cancellationToken = default)
    {
        RequireOwnerOrAdmin(actor);
        return await CurrentAsync(cancellationToken);
    }

    public async Task<EmailAppSettings> UpdateAsync(User actor, bool enabled, bool allSpaces, IReadOnlyList<Guid>? spaceIds, ReplyMode replyMode, CancellationToken cancellationToken = default)
    {
        RequireOwnerOrAdmin(actor);
        if (!Enum.IsDefined(replyMode))
        {
            throw AppProblem.Invalid("invalid_reply_mode", "Choose the reply mode threaded or newComment.");
        }
        var chosen = allSpaces ? [] : (spaceIds ?? []).Distinct().ToList();
        if (chosen.Count > 0)
        {
            var known = await db.Spaces.Where(s => chosen.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
            if (chosen.Except(known).FirstOrDefault() is var unknown && unknown != Guid.Empty)
            {
                throw AppProblem.Invalid("unknown_space", $"There is no space {unknown}. Choose spaces of this workspace.");
            }
        }
        var workspace = await workspaces.GetAsync(cancellationToken);
        var settings = await db.EmailAppSettings.FirstOrDefaultAsync(s => s.WorkspaceId == workspace.Id, cancellationToken);
        var before = settings is null ? new EmailAppSettings { WorkspaceId = workspace.Id, Enabled = false } : Copy(settings);
        if (settings is null)
        {
            settings = new EmailAppSettings { WorkspaceId = workspace.Id };
            db.EmailAppSettings.Add(settings);
        }
        settings.Enabled = enabled;
        settings.AllSpaces = allSpaces;
        settings.SpaceIds = chosen;
        settings.ReplyMode = replyMode;
        settings.UpdatedAt = clock.GetUtcNow();

        var change = await DescribeChangeAsync(before, settings, cancellationToken);
        if (change.Length > 0)
        {
            db.EmailAppAudit.Add(new EmailAppAuditEntry { WorkspaceId = workspace.Id, UserId = actor.Id, At = settings.UpdatedAt, Change = change });
        }
        await db.SaveChangesAsync(cancellationToken);
        return settings;
    }

    /// <summary>
    /// Turns the "Sent using Mailroom" footer off (or on again). Off needs a plan that allows
    /// removing it (403 <see cref="PlanProblems.WatermarkLocked"/> naming the plan that does);
    /// after a downgrade the choice is kept but the footer comes back, as <see cref="WatermarkShownAsync"/> says.
    /// </summary>
    public async Task<EmailAppSettings> SetWatermarkOffAsync(User actor, bool off, CancellationToken cancellationToken = default)
    {
        RequireOwnerOrAdmin(actor);
        if (off)
        {
            await gates.RequireAsync(PlanFeature.WatermarkRemoval, cancellationToken);
        }
        var workspace = await workspaces.GetAsync(cancellationToken);
        var settings = await db.EmailAppSettings.FirstOrDefaultAsync(s => s.WorkspaceId == workspace.Id, cancellationToken);
        if (settings is null)
        {
            settings = new EmailAppSettings { WorkspaceId = workspace.Id, Enabled = false };
            db.EmailAppSettings.Add(settings);
        }
        if (settings.WatermarkOff != off)
        {
            settings.WatermarkOff = off;
            settings.UpdatedAt = clock.GetUtcNow();
            db.EmailAppAudit.Add(new EmailAppAuditEntry
            {
                WorkspaceId = workspace.Id, UserId = actor.Id, At = settings.UpdatedAt,
                Change = $"\"Sent using Mailroom\" footer: {(off ? "shown → off" : "off → shown")}",
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        return settings;
    }

    /// <summary>Whether emails sent from tasks carry the footer now: unless the workspace turned it off and its plan allows that.</summary>
    public async Task<bool> WatermarkShownAsync(CancellationToken cancellationToken = default) =>
        WatermarkShown((await CurrentAsync(cancellationToken)).WatermarkOff, await gates.MayAsync(PlanFeature.WatermarkRemoval, cancellationToken));

    public static bool WatermarkShown(bool off, PlanDecision removal) => !(off && removal.Allowed);

    public async Task<IReadOnlyList<EmailAppAuditView>> AuditAsync(User actor, CancellationToken cancellationToken = default)
    {
        RequireOwnerOrAdmin(actor);
        var workspace = await workspaces.GetAsync(cancellationToken);
        return await db.EmailAppAudit.AsNoTracking()
            .Where(a => a.WorkspaceId == workspace.Id)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Join(db.Users, a => a.UserId, u => u.Id, (a, u) => new EmailAppAuditView(a.Id, a.UserId, u.DisplayName, a.At, a.Change))
            .Take(500)
            .ToListAsync(cancellationToken);
    }

    private static void RequireOwnerOrAdmin(User actor)
    {
        if (!actor.IsAdmin)
        {
            throw AppProblem.Forbidden("Only the workspace's owner and admins may see or change the Email app's settings.");
        }
    }

    private static EmailAppSettings Copy(EmailAppSettings s) => new()
    {
        WorkspaceId = s.WorkspaceId, Enabled = s.Enabled, AllSpaces = s.AllSpaces, SpaceIds = [.. s.SpaceIds], ReplyMode = s.ReplyMode, WatermarkOff = s.WatermarkOff,
    };

    private async Task<string> DescribeChangeAsync(EmailAppSettings before, EmailAppSettings after, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        if (before.Enabled != after.Enabled)
        {
            changes.Add($"enabled: {OnOff(before.Enabled)} → {OnOff(after.Enabled)}");
        }
        if (before.AllSpaces != after.AllSpaces || !before.SpaceIds.Order().SequenceEqual(after.SpaceIds.Order()))
        {
            var ids = before.SpaceIds.Concat(after.SpaceIds).Distinct().ToList();
            var names = await db.Spaces.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
            string Scope(EmailAppSettings s) => s.AllSpaces ? "all spaces"
                : s.SpaceIds.Count == 0 ? "no space"
                : string.Join(", ", s.SpaceIds.Select(id => names.GetValueOrDefault(id, id.ToString())).Order());
            changes.Add($"spaces: {Scope(before)} → {Scope(after)}");
        }
        if (before.ReplyMode != after.ReplyMode)
        {
            changes.Add($"reply mode: {Mode(before.ReplyMode)} → {Mode(after.ReplyMode)}");
        }
        return string.Join("; ", changes);
    }

    private static string OnOff(bool on) => on ? "on" : "off";
    private static string Mode(ReplyMode mode) => mode == ReplyMode.Threaded ? "threaded replies" : "new comments";
}
