using System.Runtime.CompilerServices;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Fleet;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>
/// The home-made runtime's journal as a rebuild source: <see cref="JournalReader"/> and
/// <see cref="SensorSnapshots"/>, as the rebuild read them before there was a seam. No horizon:
/// holes next to recent events are recorded as open gaps instead (<see cref="RecordsGaps"/>).
/// </summary>
public sealed class LegacyRebuildSource(JournalReader journal, SensorSnapshots snapshots) : IRebuildSource
{
    public bool RecordsGaps => true;

    public Task<long?> SettleAsync(NpgsqlConnection connection, TimeSpan patience, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    /// <summary>Transitions at or below a stream's compaction mark (<c>journal_deletions</c>) are kept.</summary>
    public async Task ClearTransitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var clear = new NpgsqlCommand($"""
            DELETE FROM state_changes sc
            WHERE sc.sequence_nr IS NULL
               OR sc.sequence_nr > coalesce((SELECT d.deleted_to FROM journal_deletions d WHERE d.persistence_id = '{SensorFleet.IdPrefix}' || sc.sensor_id), 0);
            """, connection, transaction);
        await clear.ExecuteNonQueryAsync(cancellationToken);
    }

    public async IAsyncEnumerable<List<(string SensorId, long SequenceNr, SensorState State)>> ReadSnapshotsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long? horizon, int page, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var chunk in snapshots.ReadLatestAsync(connection, transaction, page, cancellationToken))
        {
            yield return chunk;
        }
    }

    /// <summary>Reads on a connection of its own, as the rebuild always did (committed rows, whatever the transaction).</summary>
    public Task<List<JournalEntry>> ReadAfterAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long offset, long? horizon, int limit, CancellationToken cancellationToken) =>
        journal.ReadAfterAsync(offset, limit, cancellationToken);
}
