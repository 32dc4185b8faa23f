using Akka.Persistence;

namespace FleetHealth.Fleet;

/// <summary>
/// Snapshots: the state after at least <c>snapshotEvery</c> events since the last snapshot, through
/// Akka's SaveSnapshot; once one is stored the older snapshots are deleted.
/// Journal events are never deleted here: projections read them, and compaction is a separate job.
/// </summary>
public sealed partial class SensorActor
{
    private readonly int _snapshotEvery;
    private long _lastSnapshotSequenceNr;

    private void SnapshotIfDue()
    {
        if (_snapshotEvery > 0 && LastSequenceNr - _lastSnapshotSequenceNr >= _snapshotEvery)
        {
            _lastSnapshotSequenceNr = LastSequenceNr;
            SaveSnapshot(_state);
        }
    }

    /// <summary>Handles the snapshot store's answers; true if <paramref name="message"/> was one.</summary>
    private bool OnSnapshotMessage(object message)
    {
        switch (message)
        {
            case SaveSnapshotSuccess saved:
                DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
                return true;
            case SaveSnapshotFailure failed:
                // Not fatal: recovery replays more events until the next snapshot succeeds.
                Context.System.EventStream.Publish(new SensorStorageFailed(SensorStorageFailed.Snapshot, PersistenceId, failed.Cause));
                return true;
            case DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                return true;
            default:
                return false;
        }
    }
}
