using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FleetHealth.Database;

/// <summary>
/// Applies the numbered migrations in order, each in its own transaction, and records each in
/// <c>schema_migrations</c>. A session-level advisory lock serialises nodes that start at once:
/// the second waits, then finds the work done. A recorded migration whose text changed since it
/// was applied stops the start-up: landed migrations are never edited, new ones are added.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, ILogger<Migrator>? logger = null)
{
    /// <summary>Arbitrary but fixed: the advisory lock key that guards migrations ("FHMIGRAT").</summary>
    public const long AdvisoryLockKey = 0x46484D4947524154;

    private readonly ILogger _logger = logger ?? NullLogger<Migrator>.Instance;

    public int LatestVersion => migrations.Count == 0 ? 0 : migrations[^1].Version;

    /// <summary>Brings the database to <see cref="LatestVersion"/>; returns the versions this call applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, new NpgsqlParameter("key", AdvisoryLockKey));
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            foreach (var (version, checksum) in applied)
            {
                var known = migrations.FirstOrDefault(m => m.Version == version);
                if (known is not null && known.Checksum != checksum)
                {
                    throw new InvalidOperationException(
                        $"Migration {version:D4}_{known.Name} was changed after it was applied. Add a new migration instead of editing a landed one.");
                }
            }

            var done = new List<int>();
            foreach (var migration in migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, migration.Sql, cancellationToken);
                await ExecuteAsync(connection,
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (@v, @n, @c)",
                    cancellationToken,
                    new NpgsqlParameter("v", migration.Version), new NpgsqlParameter("n", migration.Name), new NpgsqlParameter("c", migration.Checksum));
                await transaction.CommitAsync(cancellationToken);
                _logger.LogInformation("Applied migration {Version:D4}_{Name}", migration.Version, migration.Name);
                done.Add(migration.Version);
            }

            return done;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, new NpgsqlParameter("key", AdvisoryLockKey));
        }
    }

    /// <summary>The highest applied version, or 0 when nothing (or no migrations table) is there.</summary>
    public static async Task<int> AppliedVersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var exists = dataSource.CreateCommand("SELECT to_regclass('schema_migrations') IS NOT NULL");
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return 0;
        }

        await using var max = dataSource.CreateCommand("SELECT coalesce(max(version), 0) FROM schema_migrations");
        return (int)(await max.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
