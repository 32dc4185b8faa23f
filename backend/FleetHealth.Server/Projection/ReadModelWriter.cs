using FleetHealth.Server.Fleet;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Liveness;
using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Server.Projection;

/// <summary>
/// Applies a batch of journal events to the read model in one transaction, together with the
/// projection's new offset: after a crash either all of a batch is applied and recorded, or none.
/// A few round trips per batch whatever its size: one read of the touched rows, one upsert of them,
/// one binary COPY each for heartbeats and transitions, one offset write.
/// </summary>
public sealed partial class ReadModelWriter(NpgsqlDataSource dataSource)
{
    /// <summary>The applied offset of <paramref name="projection"/> (0 before its first batch).</summary>
    public async Task<long> OffsetAsync(string projection, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT \"offset\" FROM projection_offsets WHERE projection = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection });
        return await command.ExecuteScalarAsync(cancellationToken) is long offset ? offset : 0;
    }

    /// <summary>
    /// Applies <paramref name="batch"/> (in ordering order, all above the stored offset) and stores
    /// <paramref name="newOffset"/>. Fails with a concurrency error if another writer moved the offset.
    /// Heartbeats received before <paramref name="heartbeatsFrom"/> (past retention) count in their
    /// sensor's row but get no heartbeat row, as in a rebuild.
    /// </summary>
    public async Task ApplyAsync(string projection, long expectedOffset, long newOffset, IReadOnlyList<ProjectedEvent> batch, CancellationToken cancellationToken, DateTimeOffset? heartbeatsFrom = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ClaimOffsetAsync(connection, transaction, projection, expectedOffset, newOffset, cancellationToken);
        await ApplyEventsAsync(connection, transaction, batch, new Replay(heartbeatsFrom ?? DateTimeOffset.MinValue), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Rebuilds the read model from the journal inside one transaction that first empties it and
    /// ends by setting the offset: readers see the old tables until the commit, then the new ones
    /// (DELETE, not TRUNCATE, so that nobody is locked out meanwhile; the price is dead rows for
    /// vacuum). A projection running meanwhile finds its offset moved and carries on from it.
    /// Holes in the ordering next to events younger than <paramref name="gapRetention"/> become open
    /// gaps, as if the projection had passed them (a write may still be committing).
    /// </summary>
    /// <remarks>
    /// Each sensor's row starts from its latest snapshot and takes only the events after it, so
    /// it is the same whether or not compaction deleted the events behind the snapshot. Every event
    /// still in the journal gives its heartbeat row (if received on or after
    /// <paramref name="heartbeatsFrom"/>, the first day heartbeat retention keeps) and its
    /// transition row. Transition rows whose events compaction deleted are kept as they were:
    /// they are the only record of that history (see <see cref="JournalCompaction"/>). Compaction
    /// waits while a rebuild runs (a shared advisory lock).
    /// </remarks>
    public async Task<long> RebuildAsync(
        string projection, JournalReader journal, SensorSnapshots snapshots, int batchSize, TimeSpan gapRetention, DateTimeOffset heartbeatsFrom, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock({JournalCompaction.LockKey});
            DELETE FROM heartbeats;
            DELETE FROM state_changes sc
            WHERE sc.sequence_nr IS NULL
               OR sc.sequence_nr > coalesce((SELECT d.deleted_to FROM journal_deletions d WHERE d.persistence_id = '{SensorFleet.IdPrefix}' || sc.sensor_id), 0);
            DELETE FROM sensors;
            """, connection, transaction))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var forget = new NpgsqlCommand("DELETE FROM projection_gaps WHERE projection = $1", connection, transaction))
        {
            forget.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection });
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }

        var rebuild = new Replay(heartbeatsFrom);
        await foreach (var chunk in snapshots.ReadLatestAsync(connection, transaction, batchSize, cancellationToken))
        {
            foreach (var (sensorId, sequenceNr, _) in chunk)
            {
                rebuild.SnapshotAt[sensorId] = sequenceNr;
            }

            await UpsertRowsAsync(connection, transaction, [.. chunk.Select(c => SensorRow.FromState(c.SensorId, c.State))], cancellationToken);
        }

        long offset = 0;
        var recent = DateTimeOffset.UtcNow - gapRetention;
        while (true)
        {
            var entries = await journal.ReadAfterAsync(offset, batchSize, cancellationToken);
            if (entries.Count == 0)
            {
                break;
            }

            foreach (var entry in entries)
            {
                if (entry.Ordering > offset + 1 && entry.WrittenAt > recent)
                {
                    await RecordGapsAsync(connection, transaction, projection, offset + 1, entry.Ordering - 1, cancellationToken);
                }

                offset = entry.Ordering;
            }

            await ApplyEventsAsync(connection, transaction, Projectable(entries), rebuild, cancellationToken);
        }

        await using (var set = new NpgsqlCommand("""
            INSERT INTO projection_offsets (projection, "offset") VALUES ($1, $2)
            ON CONFLICT (projection) DO UPDATE SET "offset" = $2, updated_at = now()
            """, connection, transaction))
        {
            set.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection });
            set.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return offset;
    }

    /// <summary>The sensor events among <paramref name="entries"/>, with their sensor ids and sequence numbers (other streams are skipped).</summary>
    internal static List<ProjectedEvent> Projectable(IEnumerable<JournalEntry> entries) => [.. entries.Select(e => e.Projected).OfType<ProjectedEvent>()];

    private static async Task ApplyEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ProjectedEvent> batch, Replay replay, CancellationToken cancellationToken)
    {
        if (batch.Count > 0)
        {
            var rows = await LoadRowsAsync(connection, transaction, batch.Select(e => e.SensorId).Distinct().ToArray(), cancellationToken);
            var touched = new HashSet<string>(StringComparer.Ordinal);
            var beats = new List<(string SensorId, HeartbeatRecorded Beat, double? Interval)>();
            var changes = new List<(string SensorId, StatusChanged Change, long SequenceNr)>();
            foreach (var e in batch)
            {
                var sensorId = e.SensorId;
                double? interval;
                if (replay.CoveredBySnapshot(e))
                {
                    // The row already holds this event (its snapshot does); only its history rows are made.
                    interval = replay.BehindSnapshot(e);
                }
                else
                {
                    (var row, interval) = (rows.TryGetValue(sensorId, out var existing) ? existing : new SensorRow(sensorId)).Apply(e.Event);
                    rows[sensorId] = row;
                    touched.Add(sensorId);
                }

                switch (e.Event)
                {
                    case HeartbeatRecorded beat when beat.At >= replay.HeartbeatsFrom:
                        beats.Add((sensorId, beat, interval));
                        break;
                    case StatusChanged change:
                        changes.Add((sensorId, change, e.SequenceNr));
                        break;
                }
            }

            await UpsertRowsAsync(connection, transaction, [.. touched.Select(id => rows[id])], cancellationToken);
            await CopyHeartbeatsAsync(connection, beats, cancellationToken);
            await CopyChangesAsync(connection, changes, cancellationToken);
        }
    }

    /// <summary>
    /// How events are applied besides folding rows: from when heartbeat rows are kept, and (in a
    /// rebuild) where each sensor's snapshot stands, with the heartbeat clock behind it.
    /// </summary>
    private sealed class Replay(DateTimeOffset heartbeatsFrom)
    {
        private readonly Dictionary<string, BeatHistory> _behindSnapshot = new(StringComparer.Ordinal);

        public DateTimeOffset HeartbeatsFrom => heartbeatsFrom;

        public Dictionary<string, long> SnapshotAt { get; } = new(StringComparer.Ordinal);

        public bool CoveredBySnapshot(ProjectedEvent e) => SnapshotAt.TryGetValue(e.SensorId, out var at) && e.SequenceNr <= at;

        /// <summary>A covered event's interval: since the previous beat still in the journal (compaction always keeps the beat before the first one retention keeps).</summary>
        public double? BehindSnapshot(ProjectedEvent e)
        {
            if (e.Event is not HeartbeatRecorded beat)
            {
                return null;
            }

            var (history, interval) = (_behindSnapshot.TryGetValue(e.SensorId, out var h) ? h : default).Record(beat);
            _behindSnapshot[e.SensorId] = history;
            return interval;
        }
    }

    /// <remarks>
    /// Commits asynchronously (no wait for the WAL flush): the read model is derived data, and the
    /// offset commits with the rows, so a database crash can only forget the newest projection
    /// transactions whole, which the projection then applies again from the durable offset. Any
    /// later synchronous commit (a journal write, compaction reading this offset) flushes the WAL
    /// past this commit too. What it saves is an fsync per batch competing with the journal's.
    /// </remarks>
    private static async Task ClaimOffsetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string projection, long expected, long next, CancellationToken cancellationToken)
    {
        await using (var asynchronous = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection, transaction))
        {
            await asynchronous.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO projection_offsets (projection, "offset") VALUES ($1, $3)
            ON CONFLICT (projection) DO UPDATE SET "offset" = $3, updated_at = now()
            WHERE projection_offsets."offset" = $2
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = next });
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new InvalidOperationException($"Projection '{projection}' is not at offset {expected}: another instance moved it.");
        }
    }

    private static async Task<Dictionary<string, SensorRow>> LoadRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] ids, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, SensorRow>(ids.Length, StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("""
            SELECT sensor_id, status, status_since, registered_at, first_seen, last_seen, heartbeat_count, tags,
                   interval_seconds, grace_seconds, interval_count, interval_mean_seconds, interval_m2, lost_beats, retired_at
            FROM sensors WHERE sensor_id = ANY($1)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            rows[id] = new SensorRow(id)
            {
                Status = reader.GetString(1),
                StatusSince = Time(reader, 2),
                RegisteredAt = Time(reader, 3),
                History = new BeatHistory(Time(reader, 4), Time(reader, 5), reader.GetInt64(6),
                    new IntervalStats(reader.GetInt64(10), reader.GetDouble(11), reader.GetDouble(12)), reader.GetInt64(13)),
                Tags = reader.GetFieldValue<string[]>(7),
                IntervalSeconds = reader.IsDBNull(8) ? null : reader.GetDouble(8),
                GraceSeconds = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                RetiredAt = Time(reader, 14),
            };
        }

        return rows;
    }

    private static async Task UpsertRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ICollection<SensorRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        // Tags travel as one comma-joined string per row (the tag alphabet has no comma), since
        // unnest() cannot hand out the rows of a two-dimensional array.
        await using var command = new NpgsqlCommand("""
            INSERT INTO sensors (sensor_id, status, status_since, registered_at, first_seen, last_seen, heartbeat_count, tags,
                                 interval_seconds, grace_seconds, interval_count, interval_mean_seconds, interval_m2, lost_beats, retired_at)
            SELECT id, status, since, registered, first_seen, last_seen, beats,
                   CASE WHEN tags = '' THEN '{}'::text[] ELSE string_to_array(tags, ',') END,
                   interval_s, grace_s, n, mean, m2, lost, retired
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::bigint[], $8::text[],
                        $9::float8[], $10::float8[], $11::bigint[], $12::float8[], $13::float8[], $14::bigint[], $15::timestamptz[])
                 AS r(id, status, since, registered, first_seen, last_seen, beats, tags, interval_s, grace_s, n, mean, m2, lost, retired)
            ON CONFLICT (sensor_id) DO UPDATE SET
                status = excluded.status, status_since = excluded.status_since, registered_at = excluded.registered_at,
                first_seen = excluded.first_seen, last_seen = excluded.last_seen, heartbeat_count = excluded.heartbeat_count,
                tags = excluded.tags, interval_seconds = excluded.interval_seconds, grace_seconds = excluded.grace_seconds,
                interval_count = excluded.interval_count, interval_mean_seconds = excluded.interval_mean_seconds,
                interval_m2 = excluded.interval_m2, lost_beats = excluded.lost_beats, retired_at = excluded.retired_at
            """, connection, transaction);
        command.Parameters.Add(Array(rows, r => r.SensorId));
        command.Parameters.Add(Array(rows, r => r.Status));
        command.Parameters.Add(Array(rows, r => r.StatusSince));
        command.Parameters.Add(Array(rows, r => r.RegisteredAt));
        command.Parameters.Add(Array(rows, r => r.History.FirstSeen));
        command.Parameters.Add(Array(rows, r => r.History.LastSeen));
        command.Parameters.Add(Array(rows, r => r.History.Count));
        command.Parameters.Add(Array(rows, r => string.Join(',', r.Tags)));
        command.Parameters.Add(Array(rows, r => r.IntervalSeconds));
        command.Parameters.Add(Array(rows, r => r.GraceSeconds));
        command.Parameters.Add(Array(rows, r => r.History.Intervals.Count));
        command.Parameters.Add(Array(rows, r => r.History.Intervals.MeanSeconds));
        command.Parameters.Add(Array(rows, r => r.History.Intervals.M2));
        command.Parameters.Add(Array(rows, r => r.History.LostBeats));
        command.Parameters.Add(Array(rows, r => r.RetiredAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CopyHeartbeatsAsync(NpgsqlConnection connection, List<(string SensorId, HeartbeatRecorded Beat, double? Interval)> beats, CancellationToken cancellationToken)
    {
        if (beats.Count == 0)
        {
            return;
        }

        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY heartbeats (sensor_id, received_at, sent_at, sequence, status, battery, signal, skew_flagged, interval_seconds, lost_before) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var (sensorId, beat, interval) in beats)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(sensorId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(beat.At, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(writer, beat.SentAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(writer, beat.Sequence, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(beat.Status == ReportedStatus.Fault ? "fault" : "ok", NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, (float?)beat.Battery, NpgsqlDbType.Real, cancellationToken);
            await WriteNullableAsync(writer, (float?)beat.Signal, NpgsqlDbType.Real, cancellationToken);
            await writer.WriteAsync(beat.SkewFlagged, NpgsqlDbType.Boolean, cancellationToken);
            await WriteNullableAsync(writer, interval, NpgsqlDbType.Double, cancellationToken);
            await writer.WriteAsync((int)Math.Clamp(beat.LostBeats, int.MinValue, int.MaxValue), NpgsqlDbType.Integer, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task CopyChangesAsync(NpgsqlConnection connection, List<(string SensorId, StatusChanged Change, long SequenceNr)> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY state_changes (sensor_id, from_status, to_status, at, reason, sequence_nr) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (sensorId, change, sequenceNr) in changes)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(sensorId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(SensorRow.Name(change.From), NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(SensorRow.Name(change.To), NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(change.At, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(change.Reason, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, sequenceNr > 0 ? sequenceNr : (long?)null, NpgsqlDbType.Bigint, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct
    {
        if (value is { } v)
        {
            await writer.WriteAsync(v, type, cancellationToken);
        }
        else
        {
            await writer.WriteNullAsync(cancellationToken);
        }
    }

    private static NpgsqlParameter Array<T>(ICollection<SensorRow> rows, Func<SensorRow, T> column) => new() { Value = rows.Select(column).ToArray() };

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
