using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors.Persistence;

/// <summary>Recovery: snapshot plus later events, loaded off the actor's turn, applied on it.</summary>
public abstract partial class Eventsourced
{
    internal sealed override void AroundPreStart()
    {
        base.AroundPreStart();
        _recovering = true;
        var persistenceId = PersistenceId;
        var journaling = Journal;
        System.Recoveries.Enqueue(() => LoadAsync(journaling, persistenceId));
    }

    /// <summary>Reads and deserializes (pure work, off the actor's turn), then hands the result to the actor.</summary>
    private async Task LoadAsync(Journaling journaling, string persistenceId)
    {
        AsyncResult result;
        try
        {
            var record = await journaling.Snapshots.LoadLatestAsync(persistenceId).ConfigureAwait(false);
            SnapshotOffer? offer = null;
            if (record is not null)
            {
                offer = new SnapshotOffer(
                    new SnapshotMetadata(record.PersistenceId, record.SequenceNr, record.Timestamp),
                    journaling.Serializer.Deserialize(record.Manifest, record.Payload));
            }

            var events = new List<(long SequenceNr, object Event)>();
            await journaling.Events.ReplayAsync(
                persistenceId,
                (record?.SequenceNr ?? 0) + 1,
                long.MaxValue,
                repr => events.Add((repr.SequenceNr, journaling.Serializer.Deserialize(repr.Manifest, repr.Payload)))).ConfigureAwait(false);
            var highest = await journaling.Events.ReadHighestSequenceNrAsync(persistenceId).ConfigureAwait(false);
            result = new RecoveryLoaded(this, offer, events, highest);
        }
        catch (Exception exception)
        {
            result = new RecoveryFailed(this, exception);
        }

        Cell.Post(new Envelope(result, null));
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
        Log.LogError(exception, "Recovery of {PersistenceId} failed; stopping the actor", PersistenceId);
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
