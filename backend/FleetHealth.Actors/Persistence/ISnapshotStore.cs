namespace FleetHealth.Actors.Persistence;

/// <summary>One serialized snapshot: the actor's state after event <paramref name="SequenceNr"/>.</summary>
/// <param name="PersistenceId">Whose state.</param>
/// <param name="SequenceNr">The last event the state includes.</param>
/// <param name="Manifest">The state type's stable name.</param>
/// <param name="Payload">UTF-8 JSON of the state.</param>
/// <param name="Timestamp">When it was taken.</param>
public sealed record SnapshotRecord(string PersistenceId, long SequenceNr, string Manifest, byte[] Payload, DateTimeOffset Timestamp);

/// <summary>Snapshot storage: recovery starts from the latest snapshot and replays only later events.</summary>
public interface ISnapshotStore
{
    /// <summary>Stores (or replaces) the snapshot at its sequence number.</summary>
    Task SaveAsync(SnapshotRecord snapshot, CancellationToken cancellationToken = default);

    /// <summary>The snapshot with the highest sequence number, or null.</summary>
    Task<SnapshotRecord?> LoadLatestAsync(string persistenceId, CancellationToken cancellationToken = default);

    /// <summary>The latest snapshot of each id that has one (recovery of many actors in one round trip); ids without one are absent.</summary>
    Task<IReadOnlyDictionary<string, SnapshotRecord>> LoadLatestManyAsync(IReadOnlyCollection<string> persistenceIds, CancellationToken cancellationToken = default);

    /// <summary>Deletes snapshots up to and including <paramref name="toSequenceNr"/>.</summary>
    Task DeleteToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);
}
