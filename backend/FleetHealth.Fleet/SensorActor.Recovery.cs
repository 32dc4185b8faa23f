using Akka.Persistence;
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
            case SensorEvent e:
                _state = _state.Apply(e);
                break;
            case RecoveryCompleted:
                OnRecovered();
                break;
        }
    }
}
