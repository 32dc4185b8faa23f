using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors.Persistence;

/// <summary>Recovery: snapshot plus later events, loaded off the actor's turn, applied on it.</summary>
public abstract partial class Eventsourced
{
    internal sealed override void AroundPreStart()
    {
        base.AroundPreStart();
        _recovering = true;
        System.Recoveries.Enqueue(this, PersistenceId);
    }

    /// <summary>
    /// Reads and deserializes the snapshots and events of many recovering actors (pure work, off
    /// their turns, in two reads whatever their number), then hands each actor its own result. A
    /// failed read fails every actor of the batch; a stream that does not deserialize fails only its actor.
    /// </summary>
    internal static async Task RecoverAsync(IReadOnlyList<PendingRecovery> batch)
    {
        // A scheduler serves one actor system, whose journal and snapshot store all its actors share.
        var journaling = batch[0].Actor.Journal;
        IReadOnlyDictionary<string, SnapshotRecord> snapshots;
        IReadOnlyDictionary<string, ReplayedStream> streams;
        try
        {
            snapshots = await journaling.Snapshots.LoadLatestManyAsync([.. batch.Select(p => p.PersistenceId)]).ConfigureAwait(false);
            streams = await journaling.Events.ReplayManyAsync(
                [.. batch.Select(p => new ReplayRequest(p.PersistenceId, (snapshots.GetValueOrDefault(p.PersistenceId)?.SequenceNr ?? 0) + 1))]).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            foreach (var pending in batch)
            {
                pending.Actor.Cell.Post(new Envelope(new RecoveryFailed(pending.Actor, exception), null));
            }

            return;
        }

        batch[0].Actor.System.StorageOutages.Succeeded();
        foreach (var (actor, persistenceId) in batch)
        {
            actor.Cell.Post(new Envelope(Deserialize(actor, journaling.Serializer, snapshots.GetValueOrDefault(persistenceId), streams[persistenceId]), null));
        }
    }

    private static AsyncResult Deserialize(Eventsourced actor, EventSerializer serializer, SnapshotRecord? snapshot, ReplayedStream stream)
    {
        try
        {
            var offer = snapshot is null
                ? null
                : new SnapshotOffer(new SnapshotMetadata(snapshot.PersistenceId, snapshot.SequenceNr, snapshot.Timestamp), serializer.Deserialize(snapshot.Manifest, snapshot.Payload));
            var events = new List<(long SequenceNr, object Event)>(stream.Events.Count);
            foreach (var repr in stream.Events)
            {
                events.Add((repr.SequenceNr, serializer.Deserialize(repr.Manifest, repr.Payload)));
            }

            return new RecoveryLoaded(actor, offer, events, stream.HighestSequenceNr);
        }
        catch (Exception exception)
        {
            return new RecoveryFailed(actor, exception);
        }
    }

    private void ApplyRecovery(SnapshotOffer? offer, List<(long SequenceNr, object Event)> events, long highest)
    {
        try
        {
            if (offer is not null)
            {
                LastSequenceNr = offer.Metadata.SequenceNr;
                _snapshotSequenceNr = offer.Metadata.SequenceNr;
                ReceiveRecover(offer);
            }

            foreach (var (sequenceNr, @event) in events)
            {
                LastSequenceNr = sequenceNr;
                ReceiveRecover(@event);
            }

            LastSequenceNr = Math.Max(LastSequenceNr, highest);
            ReceiveRecover(RecoveryCompleted.Instance);
        }
        catch (Exception exception)
        {
            FailRecovery(exception);
            return;
        }

        _recovering = false;
        Cell.UnstashAll();
    }

    private void FailRecovery(Exception exception)
    {
        if (!System.StorageOutages.Failed("actor recoveries failed", exception))
        {
            Log.LogError(exception, "Recovery of {PersistenceId} failed; stopping the actor", PersistenceId);
        }

        System.CountFailure(exception);
        Cell.Terminate(StopReason.Failed);
    }

    private sealed class RecoveryLoaded(Eventsourced owner, SnapshotOffer? offer, List<(long SequenceNr, object Event)> events, long highest) : AsyncResult(owner)
    {
        public override void Apply() => owner.ApplyRecovery(offer, events, highest);
    }

    private sealed class RecoveryFailed(Eventsourced owner, Exception exception) : AsyncResult(owner)
    {
        public override void Apply() => owner.FailRecovery(exception);
    }
}
