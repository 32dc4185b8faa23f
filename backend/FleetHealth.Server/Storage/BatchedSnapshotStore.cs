using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Snapshot;
using Npgsql;

namespace FleetHealth.Server.Storage;

/// <summary>
/// Akka.Persistence.Sql's snapshot store, with the read every recovery makes (the latest snapshot of
/// its stream) answered for many streams per query (<see cref="StreamReadBatcher{T}"/>): the plugin
/// reads each in a transaction of its own (three round trips), and in a recovery storm those reads
/// were a third of a recovery's cost (<c>FleetHealth.Bench journal --snapshot-store plugin</c> against
/// the default). Writes, deletes and every other selection go to the plugin unchanged.
/// </summary>
/// <remarks>
/// Guarantees: a load answers the snapshot with the highest sequence number stored for its stream
/// when the query runs, as the plugin's latest-snapshot read does, or none. A failed query fails its
/// loads, and the plugin's circuit breaker counts them as it counts its own reads. Rows are the
/// plugin's (<c>akka.snapshot_store</c>, migration 0014), deserialized as the plugin does: Akka's
/// serialization with the row's serializer id and manifest; a row without a serializer id (an old
/// version of the plugin wrote it) is read by the plugin itself.
/// </remarks>
public sealed class BatchedSnapshotStore : SqlSnapshotStore
{
    private const int MaxBatch = 256;
    private const int Readers = 2;

    // Captured here: the batch queries run outside the actor, where Context is not available.
    private readonly Akka.Serialization.Serialization _serialization = Context.System.Serialization;
    private readonly NpgsqlDataSource _dataSource;
    private readonly StreamReadBatcher<SnapshotRow> _latest;

    public BatchedSnapshotStore(Config snapshotConfig) : base(snapshotConfig)
    {
        _dataSource = BatchedReads.DataSource(snapshotConfig, "fleethealth-snapshots");
        var query = $"""
            SELECT DISTINCT ON (persistence_id) persistence_id, sequence_number, created, snapshot, manifest, serializer_id
            FROM {BatchedReads.Table(snapshotConfig, "snapshot.table-name", "snapshot_store")} WHERE persistence_id = ANY($1)
            ORDER BY persistence_id, sequence_number DESC
            """;
        _latest = new StreamReadBatcher<SnapshotRow>(ids => LatestAsync(query, ids), MaxBatch, Readers);
    }

    protected override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        var latest = criteria.MaxSequenceNr == long.MaxValue && criteria.MaxTimeStamp == DateTime.MaxValue
            && criteria.MinSequenceNr == 0 && criteria.MinTimestamp == DateTime.MinValue;
        if (!latest || !_latest.TryRead(persistenceId, out var read))
        {
            return await base.LoadAsync(persistenceId, criteria, cancellationToken);
        }

        var row = await read;
        if (row is null)
        {
            return null;
        }

        if (row.SerializerId is not { } serializerId)
        {
            return await base.LoadAsync(persistenceId, criteria, cancellationToken);
        }

        var snapshot = _serialization.Deserialize(row.Payload, serializerId, row.Manifest);
        return new SelectedSnapshot(new SnapshotMetadata(persistenceId, row.SequenceNr, new DateTime(row.CreatedTicks)), snapshot);
    }

    protected override void PostStop()
    {
        base.PostStop();
        // The queued loads are answered first (their askers are gone with the system), then the pool goes.
        _ = _latest.DisposeAsync().AsTask().ContinueWith(_ => _dataSource.Dispose(), TaskScheduler.Default);
    }

    private async Task<Dictionary<string, SnapshotRow>> LatestAsync(string query, string[] persistenceIds)
    {
        await using var command = _dataSource.CreateCommand(query);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = persistenceIds });
        var rows = new Dictionary<string, SnapshotRow>(persistenceIds.Length, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = new SnapshotRow(
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? [] : reader.GetFieldValue<byte[]>(3),
                reader.IsDBNull(4) ? "" : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5));
        }

        return rows;
    }

    private sealed record SnapshotRow(long SequenceNr, long CreatedTicks, byte[] Payload, string Manifest, int? SerializerId);
}
