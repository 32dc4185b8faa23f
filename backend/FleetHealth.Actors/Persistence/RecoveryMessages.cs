namespace FleetHealth.Actors.Persistence;

/// <summary>Describes a snapshot.</summary>
/// <param name="PersistenceId">Whose state.</param>
/// <param name="SequenceNr">The last event the state includes.</param>
/// <param name="Timestamp">When it was taken.</param>
public sealed record SnapshotMetadata(string PersistenceId, long SequenceNr, DateTimeOffset Timestamp);

/// <summary>First message of a recovery when a snapshot exists: restore the state from <see cref="Snapshot"/>.</summary>
/// <param name="Metadata">Which snapshot.</param>
/// <param name="Snapshot">The deserialized state.</param>
public sealed record SnapshotOffer(SnapshotMetadata Metadata, object Snapshot);

/// <summary>Last message of a recovery: the state is complete; commands follow. Timers may be armed here.</summary>
public sealed class RecoveryCompleted
{
    private RecoveryCompleted()
    {
    }

    /// <summary>The single instance.</summary>
    public static RecoveryCompleted Instance { get; } = new();
}
