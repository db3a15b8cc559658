using System.Data.Common;
using Mailroom.Accounts;
using Mailroom.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mailroom.Tests.Accounts;

/// <summary>The MailAccounts table as it is on disk, read past the application, and the server's own key ring.</summary>
public static class AccountRows
{
    /// <summary>Every column of every row, as text.</summary>
    public static async Task<List<Dictionary<string, string?>>> ReadAsync(MailroomServer server)
    {
        await using DbConnection connection = server.Database == Database.Postgres
            ? new NpgsqlConnection(server.Settings["ConnectionStrings:Mailroom"])
            : new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "mailroom.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM \"MailAccounts\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, string?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, string?>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Opens a stored secret with the server's key ring, as only the server (or whoever holds its keys) can.</summary>
    public static string Unprotect(MailroomServer server, string protectedSecret) =>
        DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(server.DataDirectory, "keys")), b => b.SetApplicationName("Mailroom"))
            .CreateProtector(AccountSecrets.Purpose)
            .Unprotect(protectedSecret);
}
