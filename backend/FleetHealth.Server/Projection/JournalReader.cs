using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Fleet;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>Reads the journal by its global ordering, decoding sensor events with the journal's own serializer.</summary>
public sealed class JournalReader(NpgsqlDataSource dataSource, EventSerializer serializer)
{
    public async Task<List<JournalEntry>> ReadAfterAsync(long offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT ordering, persistence_id, manifest, payload, written_at, sequence_nr FROM journal WHERE ordering > $1 ORDER BY ordering LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAsync(command, limit, cancellationToken);
    }

    /// <summary>Events whose orderings <paramref name="projection"/> passed over as holes (their writes committed late), oldest first.</summary>
    public async Task<List<JournalEntry>> ReadInGapsAsync(string projection, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT j.ordering, j.persistence_id, j.manifest, j.payload, j.written_at, j.sequence_nr
            FROM projection_gaps g JOIN journal j ON j.ordering = g.ordering
            WHERE g.projection = $1 ORDER BY j.ordering LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAsync(command, limit, cancellationToken);
    }

    private async Task<List<JournalEntry>> ReadAsync(NpgsqlCommand command, int limit, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>(Math.Min(limit, 4096));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var persistenceId = reader.GetString(1);
            var e = persistenceId.StartsWith(SensorFleet.IdPrefix, StringComparison.Ordinal)
                ? serializer.Deserialize(reader.GetString(2), reader.GetFieldValue<byte[]>(3)) as SensorEvent
                : null;
            entries.Add(new JournalEntry(reader.GetInt64(0), persistenceId, e, reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt64(5)));
        }

        return entries;
    }

    /// <summary>The newest ordering in the journal, and when the first event after <paramref name="offset"/> was written.</summary>
    public async Task<(long Newest, DateTimeOffset? OldestUnapplied)> LagAsync(long offset, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce((SELECT max(ordering) FROM journal), 0),
                   (SELECT written_at FROM journal WHERE ordering > $1 ORDER BY ordering LIMIT 1)
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }
}
