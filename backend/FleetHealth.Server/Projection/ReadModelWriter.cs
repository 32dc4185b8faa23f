using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Server.Projection;

/// <summary>
/// Applies a batch of journal events to the read model in one transaction, together with the
/// projection's new offset: after a crash either all of a batch is applied and recorded, or none.
/// A few round trips per batch whatever its size: one read of the touched rows the caller's
/// <see cref="SensorRowCache"/> does not hold, one update of the stored ones and one upsert of the
/// new ones, one binary COPY each for heartbeats and transitions, one offset write.
/// </summary>
public sealed partial class ReadModelWriter(NpgsqlDataSource dataSource, IEnumerable<IReadModelObserver> observers, IEnumerable<ITransitionOutbox> outboxes)
{
    private readonly IReadModelObserver[] _observers = [.. observers];
    private readonly ITransitionOutbox[] _outboxes = [.. outboxes];

    /// <summary>A writer nobody observes (tests, rebuilds).</summary>
    public ReadModelWriter(NpgsqlDataSource dataSource) : this(dataSource, [], [])
    {
    }

    /// <summary>A writer with observers and no outbox.</summary>
    public ReadModelWriter(NpgsqlDataSource dataSource, IEnumerable<IReadModelObserver> observers) : this(dataSource, observers, [])
    {
    }

    /// <summary>The applied offset of <paramref name="projection"/> (0 before its first batch).</summary>
    public async Task<long> OffsetAsync(string projection, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT \"offset\" FROM projection_offsets WHERE projection = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection });
        return await command.ExecuteScalarAsync(cancellationToken) is long offset ? offset : 0;
    }

    /// <summary>
    /// Applies <paramref name="batch"/> (in ordering order, all above the stored offset) and stores
    /// <paramref name="newOffset"/>. Fails with <see cref="ProjectionOffsetMovedException"/> if
    /// another writer moved the offset, or (given a <paramref name="cache"/>) wrote it at all since
    /// this projection's last write. Heartbeats received before <paramref name="heartbeatsFrom"/>
    /// (past retention) count in their sensor's row but get no heartbeat row, as in a rebuild.
    /// </summary>
    public async Task ApplyAsync(
        string projection, long expectedOffset, long newOffset, IReadOnlyList<ProjectedEvent> batch, CancellationToken cancellationToken,
        DateTimeOffset? heartbeatsFrom = null, SensorRowCache? cache = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stamp = await ClaimOffsetAsync(connection, transaction, projection, expectedOffset, newOffset, cache, cancellationToken);
        var (rows, changes) = await ApplyEventsAsync(connection, transaction, batch, new Replay(heartbeatsFrom ?? DateTimeOffset.MinValue), cache, cancellationToken);
        await WriteOutboxesAsync(connection, transaction, changes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache?.Committed(rows, stamp);
        Notify(rows);
    }

    /// <summary>The batch's transitions to every outbox, in the batch's transaction.</summary>
    private async Task WriteOutboxesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<ProjectedTransition> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var outbox in _outboxes)
        {
            await outbox.WriteAsync(connection, transaction, changes, cancellationToken);
        }
    }

    private void Notify(IReadOnlyList<SensorRow> rows)
    {
        foreach (var observer in _observers)
        {
            observer.Committed(rows);
        }
    }

    /// <summary>
    /// Rebuilds the read model from the journal inside one transaction that first empties it and
    /// ends by setting the offset: readers see the old tables until the commit, then the new ones
    /// (DELETE, not TRUNCATE, so that nobody is locked out meanwhile; the price is dead rows for
    /// vacuum). A projection running meanwhile finds its offset row rewritten and starts over from it
    /// (<see cref="ProjectionOffsetMovedException"/>), forgetting the rows it had in memory.
    /// </summary>
    /// <remarks>
    /// Each sensor's row starts from its latest snapshot (<paramref name="source"/>: the engine's
    /// journal and snapshots) and takes only the events after it, so it is the same whether or not
    /// the events behind the snapshot are still kept. Every event in the journal gives its
    /// heartbeat row (if received on or after <paramref name="heartbeatsFrom"/>, the first day
    /// heartbeat retention keeps) and its transition row. A source with a horizon
    /// (<see cref="IRebuildSource.SettleAsync"/>, waiting at most <paramref name="gapRetention"/>
    /// for writes in flight) is read up to it and the offset set to it.
    /// </remarks>
    public async Task<long> RebuildAsync(
        string projection, IRebuildSource source, int batchSize, TimeSpan gapRetention, DateTimeOffset heartbeatsFrom, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Before any lock: it may wait for writers, the projection among them.
        var horizon = await source.SettleAsync(connection, gapRetention, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM heartbeats", connection, transaction))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await source.ClearTransitionsAsync(connection, transaction, cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM sensors", connection, transaction))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        var rebuild = new Replay(heartbeatsFrom);
        await foreach (var chunk in source.ReadSnapshotsAsync(connection, transaction, horizon, batchSize, cancellationToken))
        {
            foreach (var (sensorId, sequenceNr, _) in chunk)
            {
                rebuild.SnapshotAt[sensorId] = sequenceNr;
            }

            await WriteRowsAsync(connection, transaction, [.. chunk.Select(c => SensorRow.FromState(c.SensorId, c.State))], stored: new HashSet<string>(), cancellationToken);
        }

        long offset = 0;
        while (true)
        {
            var entries = await source.ReadAfterAsync(connection, transaction, offset, horizon, batchSize, cancellationToken);
            if (entries.Count == 0)
            {
                break;
            }

            offset = entries[^1].Ordering;

            _ = await ApplyEventsAsync(connection, transaction, Projectable(entries), rebuild, cache: null, cancellationToken);
        }

        // Up to the horizon even where its last rows are tombstones: nothing below it can come any more.
        offset = horizon ?? offset;
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

    /// <summary>Folds <paramref name="batch"/> into the sensors rows and writes them with the batch's heartbeat and transition rows; returns the rows written and the transitions.</summary>
    private static async Task<(SensorRow[] Rows, List<ProjectedTransition> Changes)> ApplyEventsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ProjectedEvent> batch, Replay replay, SensorRowCache? cache, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return ([], []);
        }

        // The rows as they stand: remembered, else read back; those found are the table's already.
        var rows = new Dictionary<string, SensorRow>(StringComparer.Ordinal);
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in batch)
        {
            if (!rows.ContainsKey(e.SensorId))
            {
                if (cache is not null && cache.TryGet(e.SensorId, out var cached))
                {
                    rows[e.SensorId] = cached;
                }
                else
                {
                    unknown.Add(e.SensorId);
                }
            }
        }

        if (unknown.Count > 0)
        {
            await LoadRowsAsync(connection, transaction, [.. unknown], rows, cancellationToken);
        }

        var stored = rows.Keys.ToHashSet(StringComparer.Ordinal);

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

        SensorRow[] written = [.. touched.Select(id => rows[id])];
        await WriteRowsAsync(connection, transaction, written, stored, cancellationToken);
        await CopyHeartbeatsAsync(connection, beats, cancellationToken);
        await CopyChangesAsync(connection, changes, cancellationToken);
        return (written, [.. changes.Select(c => new ProjectedTransition(c.SensorId, c.Change.From, c.Change.To, c.Change.At))]);
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
    /// <returns>The stamp written on the offset row (its <c>updated_at</c>), for <paramref name="cache"/> once the transaction commits.</returns>
    private static async Task<DateTimeOffset> ClaimOffsetAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string projection, long expected, long next, SensorRowCache? cache, CancellationToken cancellationToken)
    {
        await using (var asynchronous = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection, transaction))
        {
            await asynchronous.ExecuteNonQueryAsync(cancellationToken);
        }

        // Whole microseconds (what timestamptz keeps), and never the previous stamp again.
        var now = DateTimeOffset.UtcNow;
        var stamp = new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
        if (cache?.Stamp is { } previous && stamp <= previous)
        {
            stamp = previous.AddTicks(10);
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO projection_offsets (projection, "offset", updated_at) VALUES ($1, $3, $4)
            ON CONFLICT (projection) DO UPDATE SET "offset" = $3, updated_at = $4
            WHERE projection_offsets."offset" = $2 AND ($5::timestamptz IS NULL OR projection_offsets.updated_at = $5)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = next });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = stamp });
        command.Parameters.Add(new NpgsqlParameter { Value = cache?.Stamp is { } vouched ? vouched : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new ProjectionOffsetMovedException(projection, expected);
        }

        return stamp;
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
            // Npgsql writes timestamptz only from UTC; the journal keeps the offset the sensor sent (+02:00 …).
            await WriteNullableAsync(writer, beat.SentAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
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

}
