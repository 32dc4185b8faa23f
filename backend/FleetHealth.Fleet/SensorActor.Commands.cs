using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet;

/// <summary>Commands: each is decided by the pure rules, persisted, and answered after its last event.</summary>
public sealed partial class SensorActor
{
    /// <summary>Who waits for the events being persisted now (null: nobody); answered with a failure if they are not written.</summary>
    private IActorRef? _awaitingPersist;

    protected override void OnCommand(object message)
    {
        var policy = _rules.Current;
        switch (message)
        {
            case SubmitHeartbeat submit:
                var (events, decision) = SensorLiveness.OnHeartbeat(_state, submit.Heartbeat, policy, _autoRegister, submit.RequiredTag);
                var outcome = decision switch
                {
                    HeartbeatDecision.Duplicate => IngestOutcome.Duplicate,
                    HeartbeatDecision.UnknownSensor => IngestOutcome.UnknownSensor,
                    HeartbeatDecision.OutOfScope => IngestOutcome.OutOfScope,
                    _ => IngestOutcome.Accepted,
                };
                PersistThenReply(events, outcome);
                if (decision == HeartbeatDecision.UnknownSensor)
                {
                    PassivateIfUnknown();
                }

                break;
            case DeadlineDue due when due.Arming != _deadlineArming:
                // The timer was re-armed (or cancelled) since: a tick of an earlier deadline.
                break;
            case DeadlineDue or CheckDeadlines:
                PersistThenReply(SensorLiveness.OnTimer(_state, Now, policy), reply: null);
                break;
            case TagSettingsChanged changed:
                if (_state.Settings.Tags.Any(changed.Tags.Contains))
                {
                    // A deadline the new rules put in the past fires now, stamped at that deadline;
                    // a later one is re-armed by PersistThenReply either way.
                    PersistThenReply(SensorLiveness.OnTimer(_state, Now, policy), reply: null);
                }

                break;
            case GetSensorState:
                Sender.Tell(Known(_state));
                PassivateIfUnknown();
                break;
            case RegisterSensor:
                PersistThenReply(SensorLiveness.Register(_state, Now), replyState: true);
                break;
            case ChangeSensorSettings change when _state.IsKnown:
                PersistThenReply(SensorLiveness.ChangeSettings(_state, change.Settings, Now, policy), replyState: true);
                break;
            case RetireSensor when _state.IsKnown:
                PersistThenReply(SensorLiveness.Retire(_state, Now), replyState: true);
                break;
            case ReactivateSensor when _state.IsKnown:
                PersistThenReply(SensorLiveness.Reactivate(_state, Now), replyState: true);
                break;
            case ChangeSensorSettings or RetireSensor or ReactivateSensor:
                Sender.Tell(SensorUnknown.Instance);
                PassivateIfUnknown();
                break;
            case not null when OnSnapshotMessage(message):
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private static object Known(SensorState state) => state.IsKnown ? state : SensorUnknown.Instance;

    /// <summary>
    /// A sensor nobody registered has nothing to watch: its actor leaves memory at once (asked of its
    /// shard, which stops it once its mailbox is handled and starts it again for a later message), so
    /// reads and refused heartbeats for made-up ids cost a recovery each, never a resident actor.
    /// Outside sharding the parent ignores the request.
    /// </summary>
    private void PassivateIfUnknown()
    {
        if (!_state.IsKnown)
        {
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        }
    }

    /// <summary>
    /// Persists <paramref name="events"/> atomically (one PersistAll, marked so that a reader of the
    /// journal knows where the write ends: <see cref="AtomicWriteMarks"/>); after the last handler
    /// re-arms the deadline, snapshots if due, and only then replies. No events: replies at once.
    /// </summary>
    private void PersistThenReply(IReadOnlyList<SensorEvent> events, object? reply = null, bool replyState = false)
    {
        var replyTo = reply is null && !replyState ? null : Sender;
        if (events.Count == 0)
        {
            Finish();
            return;
        }

        _awaitingPersist = replyTo;
        var remaining = events.Count;
        var startedAt = Stopwatch.GetTimestamp();
        PersistAll(AtomicWriteMarks.Mark(events), persisted =>
        {
            _state = _state.Apply(AtomicWriteMarks.Unmark(persisted));
            if (--remaining == 0)
            {
                JournalWriteMetrics.Written(events.Count, startedAt);
                _awaitingPersist = null;
                SnapshotIfDue();
                Finish();
            }
        });

        void Finish()
        {
            // Armed before the reply: whoever sees the reply may rely on the new deadline being set.
            ArmDeadline();
            var answer = replyState ? Known(_state) : reply;
            if (answer is not null)
            {
                replyTo?.Tell(answer, Self);
            }
        }
    }

    /// <summary>
    /// A write failed (journal error, a conflict with another writer): Akka stops the actor after
    /// this. Reported on the event stream (<see cref="SensorStorageFailed"/>), not logged here.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        FailAwaiting(cause);
        Context.System.EventStream.Publish(new SensorStorageFailed(SensorStorageFailed.Write, PersistenceId, cause));
    }

    /// <summary>
    /// The journal refused an event (e.g. it could not serialize it). Akka would go on with the old
    /// state; this actor stops instead: a timer or command would only repeat
    /// the refused write, and the next incarnation starts again from what is in the journal.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        FailAwaiting(cause);
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self);
    }

    private void FailAwaiting(Exception cause)
    {
        // One reply per command: a PersistAll of several events reports each of them.
        _awaitingPersist?.Tell(new Status.Failure(cause), Self);
        _awaitingPersist = null;
    }
}
