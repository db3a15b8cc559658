using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.Extensions.Options;

namespace Mailroom.Integrations;

/// <summary>
/// The RCPT-time check for group integration addresses, which is what most mail is sent to: one
/// prepared query on the database every time (no cache), so a removal on any server stops delivery
/// at once.
/// </summary>
public sealed class IntegrationLookup(DirectDb direct, IOptions<MailroomOptions> options)
{
    private string? _sql;

    /// <summary>Whether the address is a group integration that accepts mail; null when it is not an integration's address.</summary>
    public async Task<bool?> AcceptsAsync(string address, CancellationToken cancellationToken)
    {
        var local = RecipientResolver.LocalPartOf(address, options.Value.MailDomain);
        if (local is null || local.Length > 64)
        {
            return null;
        }
        _sql ??= $"SELECT {direct.Column<EmailIntegration>(i => i.RemovedAt)} IS NULL FROM {direct.Table<EmailIntegration>()} " +
                 $"WHERE {direct.Column<EmailIntegration>(i => i.LocalPart)} = @local LIMIT 1";
        return await direct.RunAsync(async lane =>
        {
            var command = lane.Command(_sql);
            direct.Bind<EmailIntegration>(command, "@local", nameof(EmailIntegration.LocalPart), local);
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is null or DBNull ? (bool?)null : Convert.ToBoolean(value);
        });
    }
}
