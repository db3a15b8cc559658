using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Integrations;

/// <summary>Finds what an envelope address reaches: a group integration, a list or a task. Asks the
/// database once per address per scope (a request, or one processor batch), so a removal or an
/// address reset on any server stops delivery at once.</summary>
public sealed class RecipientResolver(MailroomDb db, IOptions<MailroomOptions> options)
{
    private readonly Dictionary<string, MailTarget?> _seen = new(StringComparer.Ordinal);

    private static readonly Func<MailroomDb, string, Task<EmailIntegration?>> FindByLocalPart =
        EF.CompileAsyncQuery((MailroomDb d, string local) => d.EmailIntegrations.AsNoTracking().FirstOrDefault(i => i.LocalPart == local));

    /// <summary>The local part if the address is in our mail domain, lower-cased; otherwise null.</summary>
    public string? LocalPartOf(string address) => LocalPartOf(address, options.Value.MailDomain);

    /// <summary>The local part if the address is in <paramref name="mailDomain"/>, lower-cased; otherwise null.</summary>
    public static string? LocalPartOf(string address, string mailDomain)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return null;
        }
        var domain = address[(at + 1)..].TrimEnd('.');
        if (!string.Equals(domain, mailDomain, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var local = address[..at];
        // Sub-addressing (name+tag@) reaches the same integration.
        var plus = local.IndexOf('+');
        if (plus > 0)
        {
            local = local[..plus];
        }
        return local.ToLowerInvariant();
    }

    /// <summary>The integration, list or task behind the address, or null when it reaches nothing.</summary>
    public async Task<MailTarget?> ResolveAsync(string address, CancellationToken cancellationToken = default)
    {
        var local = LocalPartOf(address);
        if (local is null || local.Length > 64)
        {
            return null;
        }
        if (_seen.TryGetValue(local, out var seen))
        {
            return seen;
        }
        var target = await FindAsync(local, cancellationToken);
        _seen[local] = target;
        return target;
    }

    private async Task<MailTarget?> FindAsync(string local, CancellationToken cancellationToken)
    {
        if (await FindByLocalPart(db, local) is { } integration)
        {
            return new MailTarget(MailTargetKind.GroupIntegration, integration.Id, Integration: integration);
        }
        var list = await db.TaskLists.AsNoTracking().Where(l => l.LocalPart == local)
            .Select(l => new { l.Id, l.SpaceId }).FirstOrDefaultAsync(cancellationToken);
        if (list is not null)
        {
            return new MailTarget(MailTargetKind.List, list.Id, SpaceId: list.SpaceId);
        }
        var task = await db.Tasks.AsNoTracking().Where(t => t.LocalPart == local)
            .Join(db.TaskLists, t => t.ListId, l => l.Id, (t, l) => new { t.Id, l.SpaceId }).FirstOrDefaultAsync(cancellationToken);
        return task is null ? null : new MailTarget(MailTargetKind.Task, task.Id, SpaceId: task.SpaceId);
    }
}
