using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Actors.Persistence.Postgres;

/// <summary>Recovery reads of many streams: two statements in one round trip, however many streams.</summary>
public sealed partial class PostgresJournal
{
    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, ReplayedStream>> ReplayManyAsync(IReadOnlyCollection<ReplayRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var lowest = ReplayRequest.LowestPerId(requests);
        var ids = lowest.Keys.ToArray();
        var froms = ids.Select(id => lowest[id]).ToArray();
        var events = new Dictionary<string, List<PersistentRepr>>(ids.Length, StringComparer.Ordinal);
        var highest = new Dictionary<string, long>(ids.Length, StringComparer.Ordinal);

        await using var batch = _dataSource.CreateBatch();
        // Each stream's events walk the (persistence_id, sequence_nr) key from its own start.
        var replay = new NpgsqlBatchCommand("""
            SELECT j.persistence_id, j.sequence_nr, j.manifest, j.payload, j.tags, j.written_at
            FROM unnest($1::text[], $2::bigint[]) AS wanted (persistence_id, from_nr)
            JOIN journal j ON j.persistence_id = wanted.persistence_id AND j.sequence_nr >= wanted.from_nr
            ORDER BY j.persistence_id, j.sequence_nr
            """);
        replay.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        replay.Parameters.Add(new NpgsqlParameter { Value = froms, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        batch.BatchCommands.Add(replay);
        // The highest number also counts events a snapshot covers and numbers a deletion removed.
        var highestNumbers = new NpgsqlBatchCommand("""
            SELECT wanted.persistence_id, greatest(
                (SELECT max(sequence_nr) FROM journal WHERE persistence_id = wanted.persistence_id),
                (SELECT deleted_to FROM journal_deletions WHERE persistence_id = wanted.persistence_id))
            FROM unnest($1::text[]) AS wanted (persistence_id)
            """);
        highestNumbers.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        batch.BatchCommands.Add(highestNumbers);

        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var repr = new PersistentRepr(
                    reader.GetString(0),
                    reader.GetInt64(1),
                    reader.GetString(2),
                    reader.GetFieldValue<byte[]>(3),
                    reader.GetFieldValue<string[]>(4),
                    reader.GetFieldValue<DateTimeOffset>(5));
                if (!events.TryGetValue(repr.PersistenceId, out var list))
                {
                    events[repr.PersistenceId] = list = [];
                }

                list.Add(repr);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                highest[reader.GetString(0)] = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
            }
        }

        var result = new Dictionary<string, ReplayedStream>(ids.Length, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            result[id] = new ReplayedStream(events.TryGetValue(id, out var list) ? list : [], highest.GetValueOrDefault(id));
        }

        return result;
    }
}
