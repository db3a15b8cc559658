using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.Extensions.Options;

namespace Mailroom.Integrations;

/// <summary>
/// The RCPT-time check for group integration addresses, which is what most mail is sent to.
/// </summary>
/// <remarks>
/// On PostgreSQL, where several servers share the database, it is one prepared query every time,
/// so a removal on any server stops delivery at once. On SQLite this server is the only one that
/// changes integrations, so answers are kept in memory and forgotten whenever an integration is
/// added or removed (<see cref="Forget"/>, called after the change commits): the query, a read
/// transaction on a database the intake writes to all the time, cost 15–20 µs of the listener's
/// CPU per recipient, 14% of the accept rate (bench/RESULTS.md, session 4).
/// </remarks>
public sealed class IntegrationLookup(DirectDb direct, IOptions<MailroomOptions> options, IOptions<DatabaseOptions> database)
{
    private const int MaxRemembered = 10_000;
    private readonly bool _remember = !database.Value.IsPostgres;
    private readonly Dictionary<string, bool> _known = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _version;
    private string? _sql;

    /// <summary>The answer kept in memory for the address, if there is one: no database, no waiting.</summary>
    public bool TryRemembered(string address, out bool accepts)
    {
        accepts = false;
        if (!_remember)
        {
            return false;
        }
        var local = RecipientResolver.LocalPartOf(address, options.Value.MailDomain);
        if (local is null || local.Length > 64)
        {
            return false;
        }
        lock (_lock)
        {
            return _known.TryGetValue(local, out accepts);
        }
    }

    /// <summary>Whether the address is a group integration that accepts mail; null when it is not an integration's address.</summary>
    public async Task<bool?> AcceptsAsync(string address, CancellationToken cancellationToken)
    {
        var local = RecipientResolver.LocalPartOf(address, options.Value.MailDomain);
        if (local is null || local.Length > 64)
        {
            return null;
        }
        long version = 0;
        if (_remember)
        {
            lock (_lock)
            {
                if (_known.TryGetValue(local, out var accepts))
                {
                    return accepts;
                }
                version = _version;
            }
        }
        _sql ??= $"SELECT {direct.Column<EmailIntegration>(i => i.RemovedAt)} IS NULL FROM {direct.Table<EmailIntegration>()} " +
                 $"WHERE {direct.Column<EmailIntegration>(i => i.LocalPart)} = @local LIMIT 1";
        var found = await direct.RunAsync(async lane =>
        {
            var command = lane.Command(_sql);
            direct.Bind<EmailIntegration>(command, "@local", nameof(EmailIntegration.LocalPart), local);
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is null or DBNull ? (bool?)null : Convert.ToBoolean(value);
        });
        if (_remember && found is { } known)
        {
            lock (_lock)
            {
                // Not if an integration changed while the query ran: its answer may predate the change.
                if (_version == version)
                {
                    if (_known.Count >= MaxRemembered)
                    {
                        _known.Clear();
                    }
                    _known[local] = known;
                }
            }
        }
        return found;
    }

    /// <summary>Drops every remembered answer; called once a change to an integration has committed.</summary>
    public void Forget()
    {
        lock (_lock)
        {
            _version++;
            _known.Clear();
        }
    }
}
