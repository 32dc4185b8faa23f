using FleetHealth.Domain.Liveness;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>
/// Where <see cref="ReadModelWriter.RebuildAsync(string, IRebuildSource, int, TimeSpan, DateTimeOffset, CancellationToken)"/>
/// reads the sensors' history from: the engine's journal and snapshot store, read by
/// <see cref="AkkaRebuildSource"/> (<c>akka.event_journal</c>, <c>akka.snapshot_store</c>) without
/// starting an actor system, so the command-line rebuild needs no cluster.
/// </summary>
/// <remarks>
/// Called in this order on one connection: <see cref="SettleAsync"/> before the rebuild's transaction
/// takes any lock, then, inside it, <see cref="ClearTransitionsAsync"/>, the pages of
/// <see cref="ReadSnapshotsAsync"/>, the pages of <see cref="ReadAfterAsync"/>.
/// </remarks>
public interface IRebuildSource
{
    /// <summary>
    /// The highest ordering the rebuild reads and sets the projection's offset to (null: whatever
    /// the journal holds, the offset then being the last ordering read). Runs before the rebuild
    /// holds any lock, so it may wait for writes in flight, at most <paramref name="patience"/>.
    /// </summary>
    Task<long?> SettleAsync(NpgsqlConnection connection, TimeSpan patience, CancellationToken cancellationToken);

    /// <summary>Deletes the <c>state_changes</c> rows the journal can give again; keeps those whose events are no longer in it (compacted).</summary>
    Task ClearTransitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Each sensor's latest snapshot that the rebuild may start its row from: its id, the sequence
    /// number it covers, its state; in pages of at most <paramref name="page"/> by id. A sensor with
    /// none gets its row from all its events.
    /// </summary>
    IAsyncEnumerable<List<(string SensorId, long SequenceNr, SensorState State)>> ReadSnapshotsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long? horizon, int page, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="offset"/> (and at most <paramref name="horizon"/>) in ordering order; empty at the end.</summary>
    Task<List<JournalEntry>> ReadAfterAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long offset, long? horizon, int limit, CancellationToken cancellationToken);
}
