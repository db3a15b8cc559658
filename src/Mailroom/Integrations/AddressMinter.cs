using System.Text;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Integrations;

/// <summary>
/// Mints the secret local parts of generated addresses (group integrations, lists, tasks): a
/// readable slug of the name, then at least 80 random bits in base32. The random part is what
/// makes an address unguessable; the slug only helps a writer recognise it in the To field.
/// A new local part is checked against every kind of address, so one never reaches two targets.
/// </summary>
public sealed class AddressMinter(MailroomDb db, IOptions<IntegrationOptions> options)
{
    public async Task<string> NewLocalPartAsync(string name, CancellationToken cancellationToken = default)
    {
        // A collision of 100 random bits will not happen; the loop is what makes it a guarantee.
        while (true)
        {
            var local = Compose(name, Math.Max(16, options.Value.RandomLength));
            var taken = await db.EmailIntegrations.AnyAsync(i => i.LocalPart == local, cancellationToken)
                || await db.TaskLists.AnyAsync(l => l.LocalPart == local, cancellationToken)
                || await db.Tasks.AnyAsync(t => t.LocalPart == local, cancellationToken);
            if (!taken)
            {
                return local;
            }
        }
    }

    /// <summary><c>slug-random</c>, or just the random part when the name has no ASCII letters or digits.</summary>
    public static string Compose(string name, int randomLength)
    {
        var slug = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-' && (c is ' ' or '-' or '_' or '.'))
            {
                slug.Append('-');
            }
            if (slug.Length >= 24)
            {
                break;
            }
        }
        var prefix = slug.ToString().Trim('-');
        var random = Base32.Random(randomLength);
        return prefix.Length == 0 ? random : $"{prefix}-{random}";
    }
}
