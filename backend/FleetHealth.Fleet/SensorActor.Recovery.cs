using Akka.Persistence;
using Akka.Persistence.Journal;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet;

/// <summary>Recovery: the state is rebuilt by the pure <see cref="SensorState.Apply"/>; nothing is decided until it completes.</summary>
public sealed partial class SensorActor
{
    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: SensorState snapshot } offer:
                _state = snapshot;
                _lastSnapshotSequenceNr = offer.Metadata.SequenceNr;
                break;
            case SensorEvent or Tagged:
                // Sql journals store a write's mark as a tag and replay the event alone; in-memory ones replay it as written.
                _state = _state.Apply(AtomicWriteMarks.Unmark(message));
                break;
            case RecoveryCompleted:
                OnRecovered();
                break;
        }
    }

    /// <summary>
    /// The journal or snapshot store could not be read: Akka stops the actor after this, and the
    /// commands stashed meanwhile go to dead letters (their askers time out, answered 503). Reported
    /// on the event stream (<see cref="SensorStorageFailed"/>), not logged per actor.
    /// </summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null) =>
        Context.System.EventStream.Publish(new SensorStorageFailed(SensorStorageFailed.Recovery, PersistenceId, reason));
}
