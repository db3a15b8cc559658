using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Mailroom.Storage;

/// <summary>
/// A transaction in which "count, then insert" cannot interleave with another one of the same
/// key: two requests racing for the last integration of a plan, or two first-run setups.
/// SQLite's transaction is already <c>BEGIN IMMEDIATE</c> (one writer from its start), so the
/// check inside it sees every committed row; PostgreSQL takes a transaction-scoped advisory
/// lock, released by commit or rollback, which read-committed isolation alone would not give.
/// </summary>
public static class SerialisedWrites
{
    public static async Task<IDbContextTransaction> BeginSerialisedAsync(this MailroomDb db, string key, CancellationToken cancellationToken = default)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db is PostgresMailroomDb)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({key}))", cancellationToken);
        }
        return transaction;
    }
}
