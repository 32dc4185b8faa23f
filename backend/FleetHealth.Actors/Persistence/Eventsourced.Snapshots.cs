using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors.Persistence;

/// <summary>Snapshots every N events, and deletion of events behind a snapshot.</summary>
public abstract partial class Eventsourced
{
    private long _snapshotSequenceNr;

    /// <summary>Take a snapshot (via <see cref="CreateSnapshot"/>) after at least this many events since the last; 0 (default): never automatically.</summary>
    protected virtual int SnapshotEvery => 0;

    /// <summary>
    /// Delete journal events up to a snapshot once it is saved. Off by default: events are the input of
    /// projections, which must have passed them first.
    /// </summary>
    protected virtual bool DeleteEventsOnSnapshot => false;

    /// <summary>The state to snapshot (a registered type), or null to skip. Called on the actor's turn.</summary>
    protected virtual object? CreateSnapshot() => null;

    /// <summary>Called on the actor's turn when a snapshot save finished; <paramref name="error"/> is null on success. Default: logs failures.</summary>
    protected virtual void OnSnapshotSaved(long sequenceNr, Exception? error)
    {
        if (error is not null && !System.StorageOutages.Failed("snapshots failed", error))
        {
            Log.LogWarning(error, "Snapshot {SequenceNr} of {PersistenceId} failed", sequenceNr, PersistenceId);
        }
    }

    /// <summary>
    /// Saves <paramref name="snapshot"/> as the state after <see cref="LastSequenceNr"/>, asynchronously (commands are not stashed).
    /// Older snapshots are deleted once it is stored. Recovery then starts from it.
    /// </summary>
    protected void SaveSnapshot(object snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var journaling = Journal;
        var payload = journaling.Serializer.Serialize(snapshot, out var manifest);
        var record = new SnapshotRecord(PersistenceId, LastSequenceNr, manifest, payload, System.Clock.GetUtcNow());
        _snapshotSequenceNr = LastSequenceNr;
        System.OnScheduled();
        _ = SaveSnapshotAsync(journaling, record, DeleteEventsOnSnapshot);
    }

    /// <summary>Deletes this actor's events up to <paramref name="toSequenceNr"/> (fire and forget; failures are logged).</summary>
    protected void DeleteMessages(long toSequenceNr)
    {
        var journal = Journal.Events;
        var persistenceId = PersistenceId;
        var log = Log;
        System.OnScheduled();
        _ = DeleteAsync();

        async Task DeleteAsync()
        {
            try
            {
                await journal.DeleteMessagesToAsync(persistenceId, toSequenceNr).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                log.LogWarning(exception, "Deleting events of {PersistenceId} up to {SequenceNr} failed", persistenceId, toSequenceNr);
            }
            finally
            {
                System.OnIdle();
            }
        }
    }

    private void SnapshotIfDue()
    {
        if (SnapshotEvery > 0 && LastSequenceNr - _snapshotSequenceNr >= SnapshotEvery && CreateSnapshot() is { } snapshot)
        {
            SaveSnapshot(snapshot);
        }
    }

    private async Task SaveSnapshotAsync(Journaling journaling, SnapshotRecord record, bool deleteEvents)
    {
        Exception? error = null;
        try
        {
            await journaling.Snapshots.SaveAsync(record).ConfigureAwait(false);
            await journaling.Snapshots.DeleteToAsync(record.PersistenceId, record.SequenceNr - 1).ConfigureAwait(false);
            if (deleteEvents)
            {
                await journaling.Events.DeleteMessagesToAsync(record.PersistenceId, record.SequenceNr).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            error = exception;
        }

        Cell.Post(new Envelope(new SnapshotSaved(this, record.SequenceNr, error), null));
        System.OnIdle();
    }

    private sealed class SnapshotSaved(Eventsourced owner, long sequenceNr, Exception? error) : AsyncResult(owner)
    {
        public override void Apply() => owner.OnSnapshotSaved(sequenceNr, error);
    }
}
