using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Liveness;
using FleetHealth.Fleet;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// One sensor: owns its liveness. Feeds heartbeats, operator commands and its own deadline timer
/// into the pure <see cref="SensorLiveness"/> rules, persists what they decide, and only then
/// replies, so that a 202 means "in the journal". Its timer is re-armed after every change and
/// after recovery, from the last heartbeat's time: a sensor recovered on another node, or after a
/// restart, still turns late, stale and dead on time (missed deadlines fire at once, each
/// transition stamped with its true deadline). The rules come from <see cref="FleetPolicy.Current"/>
/// at each decision; a change of its tags' settings re-evaluates the deadline the same way.
/// </summary>
internal sealed class SensorActor(FleetPolicy rules, bool autoRegister, int snapshotEvery, TimeProvider clock) : PersistentActor
{
    private const string DeadlineTimer = "deadline";

    private SensorState _state = SensorState.Unknown;

    protected override int SnapshotEvery => snapshotEvery;

    protected override object? CreateSnapshot() => _state;

    protected override void ReceiveRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: SensorState snapshot }:
                _state = snapshot;
                break;
            case SensorEvent e:
                _state = _state.Apply(e);
                break;
            case RecoveryCompleted:
                ArmDeadline();
                break;
        }
    }

    protected override void ReceiveCommand(object message)
    {
        var policy = rules.Current;
        switch (message)
        {
            case SubmitHeartbeat submit:
                var (events, decision) = SensorLiveness.OnHeartbeat(_state, submit.Heartbeat, policy, autoRegister, submit.RequiredTag);
                var outcome = decision switch
                {
                    HeartbeatDecision.Duplicate => IngestOutcome.Duplicate,
                    HeartbeatDecision.UnknownSensor => IngestOutcome.UnknownSensor,
                    HeartbeatDecision.OutOfScope => IngestOutcome.OutOfScope,
                    _ => IngestOutcome.Accepted,
                };
                PersistThenReply(events, outcome);
                break;
            case DeadlineDue:
                PersistThenReply(SensorLiveness.OnTimer(_state, clock.GetUtcNow(), policy), reply: null);
                break;
            case TagSettingsChanged changed:
                if (_state.Settings.Tags.Any(changed.Tags.Contains))
                {
                    // A deadline the new rules put in the past fires now, stamped at that deadline.
                    PersistThenReply(SensorLiveness.OnTimer(_state, clock.GetUtcNow(), policy), reply: null);
                }

                break;
            case GetSensorState:
                Sender.Tell(Known(_state));
                break;
            case RegisterSensor:
                PersistThenReply(SensorLiveness.Register(_state, clock.GetUtcNow()), replyState: true);
                break;
            case ChangeSensorSettings change when _state.IsKnown:
                PersistThenReply(SensorLiveness.ChangeSettings(_state, change.Settings, clock.GetUtcNow(), policy), replyState: true);
                break;
            case RetireSensor when _state.IsKnown:
                PersistThenReply(SensorLiveness.Retire(_state, clock.GetUtcNow()), replyState: true);
                break;
            case ReactivateSensor when _state.IsKnown:
                PersistThenReply(SensorLiveness.Reactivate(_state, clock.GetUtcNow()), replyState: true);
                break;
            case ChangeSensorSettings or RetireSensor or ReactivateSensor:
                Sender.Tell(SensorUnknown.Instance);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private static object Known(SensorState state) => state.IsKnown ? state : SensorUnknown.Instance;

    /// <summary>Persists <paramref name="events"/> atomically; after the last handler, replies and re-arms the deadline.</summary>
    private void PersistThenReply(IReadOnlyList<SensorEvent> events, object? reply = null, bool replyState = false)
    {
        if (events.Count == 0)
        {
            Finish();
            return;
        }

        var remaining = events.Count;
        PersistAll(events, e =>
        {
            _state = _state.Apply(e);
            if (--remaining == 0)
            {
                Finish();
            }
        });

        void Finish()
        {
            var answer = replyState ? Known(_state) : reply;
            if (answer is not null)
            {
                Sender.Tell(answer, Self);
            }

            ArmDeadline();
        }
    }

    private void ArmDeadline()
    {
        var deadline = SensorLiveness.NextDeadline(_state, rules.Current);
        var delay = deadline - clock.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            Timers.StartSingleTimer(DeadlineTimer, DeadlineDue.Instance, delay.Value);
            return;
        }

        Timers.Cancel(DeadlineTimer);
        if (deadline is not null)
        {
            // Already past (recovered after an outage): decide now rather than on the next tick.
            Self.Tell(DeadlineDue.Instance, Self);
        }
    }
}

/// <summary>The actor's own timer: a liveness deadline may have passed.</summary>
internal sealed record DeadlineDue
{
    public static DeadlineDue Instance { get; } = new();
}
