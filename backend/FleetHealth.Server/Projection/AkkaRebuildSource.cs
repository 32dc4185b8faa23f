using System.Runtime.CompilerServices;
using System.Runtime.Serialization;
using FleetHealth.Domain.Liveness;
using FleetHealth.Fleet;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>
/// The Akka.Persistence.Sql journal as a rebuild source: <c>akka.event_journal</c> and
/// <c>akka.snapshot_store</c> read with SQL in the rebuild's own transaction, payloads decoded by
/// <see cref="SensorEventSerializer.Decode"/> (the serializer's own code, no actor system). Rows
/// marked deleted (the plugin's and migration 0017's tombstones) are skipped, as the read journal
/// skips them; a stream's events behind its snapshot need not exist.
/// </summary>
/// <remarks>
/// <para>
/// Why SQL and not Akka.Persistence.Query (<c>CurrentAllEvents</c>) with the snapshot store's API.
/// The <c>rebuild-read-model</c> command runs with the host built but not started, so the host's
/// actor system (cluster, sharding, shard leases) must not be started for it; a second, minimal
/// actor system (<see cref="Storage.AkkaJournalConfiguration.ToConfig"/> and
/// <see cref="SensorEventSerializer.Config"/>, no cluster) could run the query, but: (1) the query
/// reads on the plugin's connections, outside the transaction that swaps the read model, so the
/// snapshots, the events and the offset would not come from one consistent reading; (2) the
/// snapshot store answers per persistence id (one round trip per sensor) and cannot list every
/// stream's latest snapshot; (3) <c>CurrentAllEvents</c> ends where the plugin's sequence
/// retrieval stands, which a fresh read journal only assumes after its gap timeout, and it cannot
/// say which holes below that are still being written. Reading the two tables directly costs
/// knowing their layout, which migration 0014 already pins to the plugin's mapping (tested in
/// FleetHealth.Journal.Tests), and it pages them by persistence id and ordering.
/// </para>
/// <para>
/// The offset. The live feed (<see cref="AkkaJournalFeed"/>) resumes with <c>ordering &gt; offset</c>
/// and never looks behind it. So the rebuild may set the
/// offset only to an ordering below which nothing can still appear: see <see cref="SettleAsync"/>.
/// It applies exactly the events up to that horizon, and every snapshot it starts a row from covers
/// only events up to it; what lies above is left to the feed, whose rows are then rebuilt as the
/// horizon left them.
/// </para>
/// </remarks>
public sealed partial class AkkaRebuildSource : IRebuildSource
{
    private const string Journal = "akka.event_journal";
    private const string Snapshots = "akka.snapshot_store";

    /// <summary>
    /// Keeps the transitions whose events are no longer in the journal as events (deleted behind a
    /// snapshot, or compacted before migration 0017 carried the stream): they are the only record
    /// of that history. Every other one, and every one without a sequence number, is given again.
    /// </summary>
    public async Task ClearTransitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var clear = new NpgsqlCommand($"""
            DELETE FROM state_changes sc
            WHERE sc.sequence_nr IS NULL
               OR EXISTS (SELECT 1 FROM {Journal} j
                          WHERE j.persistence_id = '{SensorActor.PersistenceIdPrefix}' || sc.sensor_id AND j.sequence_number = sc.sequence_nr AND NOT j.deleted);
            """, connection, transaction);
        await clear.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Each sensor's latest snapshot, unless it covers an event above <paramref name="horizon"/>
    /// (saved after the horizon was taken): that sensor then folds from its first event, which
    /// needs its stream whole from #1; a stream without it (events deleted behind the snapshot)
    /// fails the rebuild with <see cref="InvalidOperationException"/> (run it again: the horizon
    /// then passes the snapshot).
    /// </summary>
    public async IAsyncEnumerable<List<(string SensorId, long SequenceNr, SensorState State)>> ReadSnapshotsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long? horizon, int page, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = "";
        while (true)
        {
            var items = new List<(string, long, SensorState)>(page);
            var rows = 0;
            // covered: the ordering of the newest row at or below the snapshot (tombstones count;
            // null when compaction deleted them all, which happened before any horizon).
            await using (var command = new NpgsqlCommand($"""
                SELECT s.persistence_id, s.sequence_number, s.manifest, s.snapshot, s.serializer_id,
                       (SELECT j.ordering FROM {Journal} j
                        WHERE j.persistence_id = s.persistence_id AND j.sequence_number <= s.sequence_number
                        ORDER BY j.sequence_number DESC LIMIT 1) AS covered,
                       EXISTS (SELECT 1 FROM {Journal} j WHERE j.persistence_id = s.persistence_id AND j.sequence_number = 1 AND NOT j.deleted) AS whole
                FROM (SELECT DISTINCT ON (persistence_id) persistence_id, sequence_number, manifest, snapshot, serializer_id FROM {Snapshots}
                      WHERE starts_with(persistence_id, '{SensorActor.PersistenceIdPrefix}') AND persistence_id > $1
                      ORDER BY persistence_id, sequence_number DESC LIMIT $2) s
                ORDER BY s.persistence_id
                """, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = page });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows++;
                    after = reader.GetString(0);
                    var sequenceNr = reader.GetInt64(1);
                    if (!reader.IsDBNull(5) && horizon is { } upTo && reader.GetInt64(5) > upTo)
                    {
                        if (!reader.GetBoolean(6))
                        {
                            throw new InvalidOperationException(
                                $"{after}'s snapshot #{sequenceNr} is newer than the rebuild's horizon {upTo} and its events before it are gone; run the rebuild again.");
                        }

                        continue;
                    }

                    var state = Decode(reader.IsDBNull(2) ? "" : reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.IsDBNull(4) ? null : reader.GetInt32(4), after, sequenceNr) as SensorState
                        ?? throw new SerializationException($"{after}'s snapshot #{sequenceNr} is not a sensor state.");
                    items.Add((after[SensorActor.PersistenceIdPrefix.Length..], sequenceNr, state));
                }
            }

            if (items.Count > 0)
            {
                yield return items;
            }

            if (rows < page)
            {
                yield break;
            }
        }
    }

    /// <summary>Live rows only; <see cref="JournalEntry.WrittenAt"/> from the plugin's <c>created</c> (UTC ticks).</summary>
    public async Task<List<JournalEntry>> ReadAfterAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long offset, long? horizon, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT ordering, persistence_id, sequence_number, manifest, message, identifier, created FROM {Journal}
            WHERE ordering > $1 AND ordering <= $2 AND NOT deleted ORDER BY ordering LIMIT $3
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = horizon ?? long.MaxValue });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var entries = new List<JournalEntry>(Math.Min(limit, 4096));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var persistenceId = reader.GetString(1);
            var sequenceNr = reader.GetInt64(2);
            var e = persistenceId.StartsWith(SensorActor.PersistenceIdPrefix, StringComparison.Ordinal)
                ? Decode(reader.IsDBNull(3) ? "" : reader.GetString(3), reader.GetFieldValue<byte[]>(4), reader.IsDBNull(5) ? null : reader.GetInt32(5), persistenceId, sequenceNr) as SensorEvent
                : null;
            entries.Add(new JournalEntry(reader.GetInt64(0), persistenceId, e, new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero), sequenceNr));
        }

        return entries;
    }

    /// <summary>A sensor stream's payload; one another serializer wrote is refused loudly, as recovery would refuse it.</summary>
    private static object Decode(string manifest, byte[] payload, int? serializerId, string persistenceId, long sequenceNr) =>
        serializerId == SensorEventSerializer.Id
            ? SensorEventSerializer.Decode(payload, manifest)
            : throw new SerializationException($"{persistenceId} #{sequenceNr} was written by serializer {serializerId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}, not {SensorEventSerializer.Id}.");
}
