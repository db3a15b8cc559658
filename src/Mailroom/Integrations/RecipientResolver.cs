using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Integrations;

/// <summary>Finds the integration an envelope address belongs to. Asks the database every time,
/// so a removal on any server stops delivery at once.</summary>
public sealed class RecipientResolver(MailroomDb db, IOptions<MailroomOptions> options)
{
    private static readonly Func<MailroomDb, string, Task<EmailIntegration?>> FindByLocalPart =
        EF.CompileAsyncQuery((MailroomDb d, string local) => d.EmailIntegrations.AsNoTracking().FirstOrDefault(i => i.LocalPart == local));

    /// <summary>The local part if the address is in our mail domain, lower-cased; otherwise null.</summary>
    public string? LocalPartOf(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return null;
        }
        var domain = address[(at + 1)..].TrimEnd('.');
        if (!string.Equals(domain, options.Value.MailDomain, StringComparison.OrdinalIgnoreCase))
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

    /// <summary>The integration behind the address, removed ones included (callers check <see cref="EmailIntegration.RemovedAt"/>).</summary>
    public async Task<EmailIntegration?> FindAsync(string address)
    {
        var local = LocalPartOf(address);
        return local is null || local.Length > 64 ? null : await FindByLocalPart(db, local);
    }
}
