using Npgsql;

namespace FleetHealth.Actors.Persistence.Postgres;

/// <summary>Replay, highest sequence number and deletion: plain statements on the pool.</summary>
public sealed partial class PostgresJournal
{
    /// <inheritdoc />
    public async Task ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        await using var command = _dataSource.CreateCommand("""
            SELECT sequence_nr, manifest, payload, tags, written_at FROM journal
            WHERE persistence_id = $1 AND sequence_nr BETWEEN $2 AND $3
            ORDER BY sequence_nr
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        command.Parameters.Add(new NpgsqlParameter { Value = fromSequenceNr });
        command.Parameters.Add(new NpgsqlParameter { Value = toSequenceNr });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            onEvent(new PersistentRepr(
                persistenceId,
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetFieldValue<byte[]>(2),
                reader.GetFieldValue<string[]>(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }
    }

    /// <inheritdoc />
    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT greatest(
                (SELECT coalesce(max(sequence_nr), 0) FROM journal WHERE persistence_id = $1),
                (SELECT coalesce(max(deleted_to), 0) FROM journal_deletions WHERE persistence_id = $1))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        // One statement: the deletion and the remembered highest number commit together.
        await using var command = _dataSource.CreateCommand("""
            WITH deleted AS (
                DELETE FROM journal WHERE persistence_id = $1 AND sequence_nr <= $2 RETURNING sequence_nr)
            INSERT INTO journal_deletions (persistence_id, deleted_to)
            SELECT $1, max(sequence_nr) FROM deleted HAVING max(sequence_nr) IS NOT NULL
            ON CONFLICT (persistence_id) DO UPDATE SET deleted_to = greatest(journal_deletions.deleted_to, excluded.deleted_to)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        command.Parameters.Add(new NpgsqlParameter { Value = toSequenceNr });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
