using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Actors.Persistence.Postgres;

/// <summary>Snapshots in PostgreSQL (table <c>snapshots</c>, migration 0002).</summary>
public sealed class PostgresSnapshotStore(NpgsqlDataSource dataSource) : ISnapshotStore
{
    /// <inheritdoc />
    public async Task SaveAsync(SnapshotRecord snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO snapshots (persistence_id, sequence_nr, manifest, payload, created_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET manifest = excluded.manifest, payload = excluded.payload, created_at = excluded.created_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.PersistenceId });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.SequenceNr });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.Manifest });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.Payload });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.Timestamp });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SnapshotRecord?> LoadLatestAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT sequence_nr, manifest, payload, created_at FROM snapshots
            WHERE persistence_id = $1 ORDER BY sequence_nr DESC LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new SnapshotRecord(persistenceId, reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, SnapshotRecord>> LoadLatestManyAsync(IReadOnlyCollection<string> persistenceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceIds);
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (persistence_id) persistence_id, sequence_nr, manifest, payload, created_at FROM snapshots
            WHERE persistence_id = ANY($1) ORDER BY persistence_id, sequence_nr DESC
            """);
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = persistenceIds.Distinct(StringComparer.Ordinal).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        var result = new Dictionary<string, SnapshotRecord>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var persistenceId = reader.GetString(0);
            result[persistenceId] = new SnapshotRecord(persistenceId, reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<DateTimeOffset>(4));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task DeleteToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM snapshots WHERE persistence_id = $1 AND sequence_nr <= $2");
        command.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        command.Parameters.Add(new NpgsqlParameter { Value = toSequenceNr });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
