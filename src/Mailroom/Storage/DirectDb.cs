using System.Collections.Concurrent;
using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Mailroom.Storage;

/// <summary>
/// Plain ADO.NET for the two paths that run for every email — the recipient check at RCPT and the
/// intake's group commit — where EF's per-call overhead was a fifth of the server's CPU
/// (bench/RESULTS.md). Commands are built from EF's model (table and column names, each column's
/// type mapping and value converter), so what they read and write is exactly what EF would, and
/// they stay on open connections with their statements prepared.
/// </summary>
public sealed class DirectDb(IServiceScopeFactory scopes) : IAsyncDisposable
{
    /// <summary>
    /// Open connections kept between calls. A burst may open more for a moment; those are closed
    /// when handed back, so a busy SMTP listener never holds hundreds of database connections
    /// (PostgreSQL's default limit is 100, shared with every other server).
    /// </summary>
    public const int MaxIdleLanes = 8;

    private readonly ConcurrentBag<Lane> _lanes = [];
    private readonly Lazy<Schema> _schema = new(() => Schema.Read(scopes));

    /// <summary>Open connections waiting for the next call.</summary>
    internal int IdleLanes => _lanes.Count;

    /// <summary>The table an entity is stored in, quoted for this database.</summary>
    public string Table<T>() => _schema.Value.Delimit(_schema.Value.EntityType<T>().GetTableName()!);

    /// <summary>A property's column, quoted for this database.</summary>
    public string Column<T>(Expression<Func<T, object?>> property) => Column<T>(PropertyName(property));

    public string Column<T>(string property) =>
        _schema.Value.Delimit(_schema.Value.Property<T>(property).GetColumnName(StoreObjectIdentifier.Table(_schema.Value.EntityType<T>().GetTableName()!)) ?? property);

    /// <summary>Sets a command parameter to a property's value, converted as EF stores it.</summary>
    public void Bind<T>(DbCommand command, string parameterName, string property, object? value)
    {
        var mapping = _schema.Value.Property<T>(property).GetRelationalTypeMapping();
        command.Parameters.Add(mapping.CreateParameter(command, parameterName, value, nullable: value is null));
    }

    /// <summary>Runs <paramref name="work"/> on an open connection of its own (taken from a small pool).</summary>
    public async Task<TResult> RunAsync<TResult>(Func<Lane, Task<TResult>> work)
    {
        if (!_lanes.TryTake(out var lane))
        {
            lane = await Lane.OpenAsync(_schema.Value.NewConnection());
        }
        try
        {
            var result = await work(lane);
            if (_lanes.Count < MaxIdleLanes)
            {
                _lanes.Add(lane);
            }
            else
            {
                await lane.DisposeAsync();
            }
            return result;
        }
        catch
        {
            // The connection may be broken (a restarted PostgreSQL): never reuse it.
            await lane.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <see cref="RunAsync{TResult}"/> for a dedicated thread that may block: the work runs with
    /// the synchronous ADO.NET calls, so SQLite (whose async calls are synchronous anyway) pays for
    /// no tasks.
    /// </summary>
    public TResult Run<TResult>(Func<Lane, TResult> work)
    {
        if (!_lanes.TryTake(out var lane))
        {
            lane = Lane.Open(_schema.Value.NewConnection());
        }
        try
        {
            var result = work(lane);
            if (_lanes.Count < MaxIdleLanes)
            {
                _lanes.Add(lane);
            }
            else
            {
                lane.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return result;
        }
        catch
        {
            lane.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_lanes.TryTake(out var lane))
        {
            await lane.DisposeAsync();
        }
    }

    private static string PropertyName<T>(Expression<Func<T, object?>> property)
    {
        var body = property.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : property.Body;
        return body is MemberExpression member ? member.Member.Name : throw new ArgumentException("Expected a property access such as x => x.Name.", nameof(property));
    }

    /// <summary>One open connection and the commands prepared on it, keyed by their SQL.</summary>
    public sealed class Lane : IAsyncDisposable
    {
        private readonly Dictionary<string, DbCommand> _commands = [];

        private Lane(DbConnection connection) => Connection = connection;

        public DbConnection Connection { get; }

        internal static Lane Open(DbConnection connection)
        {
            connection.Open();
            return new Lane(connection);
        }

        internal static async Task<Lane> OpenAsync(DbConnection connection)
        {
            await connection.OpenAsync();
            return new Lane(connection);
        }

        /// <summary>The command for this SQL on this connection, with its parameters cleared.</summary>
        public DbCommand Command(string sql, DbTransaction? transaction = null)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = Connection.CreateCommand();
                command.CommandText = sql;
                _commands[sql] = command;
            }
            command.Parameters.Clear();
            command.Transaction = transaction;
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _commands.Values)
            {
                await command.DisposeAsync();
            }
            await Connection.DisposeAsync();
        }
    }

    private sealed class Schema(IModel model, ISqlGenerationHelper sql, Func<DbConnection> newConnection)
    {
        public Func<DbConnection> NewConnection { get; } = newConnection;

        public static Schema Read(IServiceScopeFactory scopes)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            var connectionString = db.Database.GetConnectionString()
                ?? throw new InvalidOperationException("The database has no connection string.");
            Func<DbConnection> factory = db is PostgresMailroomDb
                ? () => new NpgsqlConnection(connectionString)
                : () => new SqliteConnection(connectionString);
            return new Schema(db.Model, db.GetService<ISqlGenerationHelper>(), factory);
        }

        public IEntityType EntityType<T>() =>
            model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");

        public IProperty Property<T>(string name) =>
            EntityType<T>().FindProperty(name) ?? throw new InvalidOperationException($"{typeof(T).Name}.{name} is not in the model.");

        public string Delimit(string identifier) => sql.DelimitIdentifier(identifier);
    }
}
