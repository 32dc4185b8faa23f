using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.ReadModel;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>
/// Deletes sensor events from the journal in bounded batches, behind snapshots (DESIGN.md §2). An
/// event of a stream is deleted only when (a) the stream's latest snapshot covers it, (b) the
/// read-model projection's offset has passed it, and (c) it, and every event before it, was
/// received before the first day heartbeat retention keeps: the read model no longer holds its
/// heartbeat row anyway, its transition row stays (a rebuild keeps it), and the sensor's row and
/// the actor's recovery start from the snapshot. The last heartbeat before that day is kept, so
/// that the interval of the first heartbeat retention keeps can still be computed by a rebuild.
/// The stream's highest sequence number survives in journal_deletions.
/// </summary>
/// <remarks>
/// One node at a time compacts, and never while a rebuild runs (both take <see cref="LockKey"/>).
/// A sensor whose transition rows predate migration 0009 (no sequence number) is skipped until a
/// rebuild has renumbered them, so that no transition is ever lost. Cutoffs use the fleet's clock
/// (the one events are stamped with); the pause between batches is real time.
/// </remarks>
internal sealed partial class JournalCompaction(
    NpgsqlDataSource dataSource,
    PostgresJournal journal,
    EventSerializer serializer,
    ReadModelWriter writer,
    DatabaseReadiness readiness,
    IOptions<CompactionOptions> options,
    HeartbeatRetention retention,
    StorageOutageLog outages,
    ILogger<JournalCompaction> logger) : BackgroundService
{
    /// <summary>Advisory lock shared by compaction (try, per batch) and the rebuild (waits, for its transaction).</summary>
    public const long LockKey = 0x46484350_4D504354; // "FHCPMPCT"

    private string _cursor = "";

    /// <summary>
    /// Examines the next <see cref="CompactionOptions.StreamsPerBatch"/> sensor streams (wrapping
    /// around) and deletes what may go; returns the streams that had something to examine and the
    /// events deleted. Skips (0, 0) when another node compacts or a rebuild runs.
    /// </summary>
    public async Task<(int Streams, long Deleted)> CompactBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var keptFrom = retention.KeptFrom();
        await using var guard = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", guard))
        {
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return (0, 0);
            }
        }

        try
        {
            var offset = await writer.OffsetAsync(ReadModelProjectionName.Value, cancellationToken);
            var (streams, last) = await CandidatesAsync(settings.StreamsPerBatch, cancellationToken);
            if (last is null && _cursor.Length > 0)
            {
                _cursor = ""; // past the last stream: start the next round
                (streams, last) = await CandidatesAsync(settings.StreamsPerBatch, cancellationToken);
            }

            _cursor = last ?? "";
            long deleted = 0;
            foreach (var (persistenceId, snapshotAt, deletedTo) in streams)
            {
                var to = await DeletableToAsync(persistenceId, deletedTo, snapshotAt, offset, keptFrom, settings.EventsPerStream, cancellationToken);
                if (to > deletedTo)
                {
                    await journal.DeleteMessagesToAsync(persistenceId, to, cancellationToken);
                    deleted += to - deletedTo;
                }
            }

            return (streams.Count, deleted);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", guard);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await readiness.Migrated.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (streams, deleted) = await CompactBatchAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogCompacted(deleted, streams);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                if (!outages.Failed("journal compactions failed", e))
                {
                    LogFailed(e);
                }

            }

            await Task.Delay(TimeSpan.FromSeconds(options.Value.PeriodSeconds), stoppingToken);
        }
    }

    /// <summary>
    /// The next page of sensor streams with a snapshot, after the cursor: those whose snapshot leaves
    /// something before it and whose transition rows all carry sequence numbers, and the page's last
    /// stream (null when the page is empty), from which the next page starts.
    /// </summary>
    private async Task<(List<(string PersistenceId, long SnapshotAt, long DeletedTo)> Streams, string? Last)> CandidatesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT s.persistence_id, s.sequence_nr, coalesce(d.deleted_to, 0),
                   coalesce(d.deleted_to, 0) < s.sequence_nr - 1
                   AND NOT EXISTS (SELECT 1 FROM state_changes sc
                                   WHERE sc.sensor_id = substr(s.persistence_id, {SensorFleet.IdPrefix.Length + 1}) AND sc.sequence_nr IS NULL)
            FROM (SELECT persistence_id, max(sequence_nr) AS sequence_nr FROM snapshots
                  WHERE starts_with(persistence_id, '{SensorFleet.IdPrefix}') AND persistence_id > $1
                  GROUP BY persistence_id ORDER BY persistence_id LIMIT $2) s
            LEFT JOIN journal_deletions d USING (persistence_id)
            ORDER BY s.persistence_id
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _cursor });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var streams = new List<(string, long, long)>();
        string? last = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            last = reader.GetString(0);
            if (reader.GetBoolean(3))
            {
                streams.Add((last, reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        return (streams, last);
    }

    /// <summary>
    /// The highest sequence number that may be deleted: just before the last heartbeat in the
    /// stream's leading run of events that are covered, projected and older than
    /// <paramref name="keptFrom"/>.
    /// </summary>
    private async Task<long> DeletableToAsync(
        string persistenceId, long deletedTo, long snapshotAt, long offset, DateTimeOffset keptFrom, int limit, CancellationToken cancellationToken)
    {
        // An ordering the projection passed over as a hole (projection_gaps) may still be applied: not passed yet.
        await using var command = dataSource.CreateCommand($"""
            SELECT j.sequence_nr, j.ordering, j.manifest, j.payload,
                   EXISTS (SELECT 1 FROM projection_gaps g WHERE g.projection = '{ReadModelProjectionName.Value}' AND g.ordering = j.ordering)
            FROM journal j
            WHERE j.persistence_id = $1 AND j.sequence_nr > $2 AND j.sequence_nr <= $3
            ORDER BY j.sequence_nr LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = persistenceId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = deletedTo });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = snapshotAt });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        long lastOldBeat = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetInt64(1) > offset
                || reader.GetBoolean(4)
                || serializer.Deserialize(reader.GetString(2), reader.GetFieldValue<byte[]>(3)) is not SensorEvent e
                || e.At >= keptFrom)
            {
                break;
            }

            if (e is HeartbeatRecorded)
            {
                lastOldBeat = reader.GetInt64(0);
            }
        }

        return Math.Max(deletedTo, lastOldBeat - 1);
    }

    [LoggerMessage(LogLevel.Information, "Compaction deleted {Deleted} journal events of {Streams} sensor streams")]
    private partial void LogCompacted(long deleted, int streams);

    [LoggerMessage(LogLevel.Warning, "Journal compaction failed; retrying")]
    private partial void LogFailed(Exception exception);
}
