namespace FleetHealth.Actors.Persistence;

/// <summary>
/// An event-sourced actor (Akka's <c>PersistentActor</c>): its state is the fold of its events.
/// Commands arrive in <see cref="ReceiveCommand"/>, which validates and calls <c>Persist</c>; the
/// state changes in the event handler, which runs only after the event is durable. On start, after a
/// restart and after passivation the actor recovers: latest snapshot (<see cref="SnapshotOffer"/>),
/// then later events, then <see cref="RecoveryCompleted"/>, all through <see cref="ReceiveRecover"/>.
/// </summary>
/// <remarks>
/// Split by concern: Persist (writing and the command stash), Recovery, Snapshots.
/// Guarantees: commands that arrive while a persist or the recovery is in flight are stashed and
/// handled afterwards, in arrival order, after the event handlers ran; handlers of events persisted
/// in one command run in persist order with <c>Sender</c> set to that command's sender.
/// </remarks>
public abstract partial class Eventsourced : ActorBase
{
    private bool _recovering;

    /// <summary>The journal stream's id; by default the actor's registry id (one stream per entity).</summary>
    public virtual string PersistenceId => Self.Id;

    /// <summary>The sequence number of the last event persisted or recovered (0 for a new stream).</summary>
    public long LastSequenceNr { get; private set; }

    /// <summary>True until <see cref="RecoveryCompleted"/> has been handled.</summary>
    protected bool IsRecovering => _recovering;

    /// <summary>
    /// Rebuilds state from a <see cref="SnapshotOffer"/>, from each event in order, and receives
    /// <see cref="RecoveryCompleted"/> at the end. Must be pure with respect to the outside world (no
    /// replies, no side effects other than state and timers), because it runs again on every recovery.
    /// Throwing here stops the actor (a restart would only fail again); the failure is logged and counted.
    /// </summary>
    protected abstract void ReceiveRecover(object message);

    /// <summary>Handles a command; call <c>Persist</c> to record facts. Throwing restarts the actor (nothing of this command is written).</summary>
    protected abstract void ReceiveCommand(object message);

    /// <inheritdoc />
    protected sealed override void OnReceive(object message) => ReceiveCommand(message);

    internal override bool ShouldStash => _recovering || _inFlight is not null;

    internal override bool CanStopNow => !ShouldStash;

    internal override void AroundReceive(object message)
    {
        ReceiveCommand(message);
        FlushPendingWrites();
    }

    private Journaling Journal => new(System.Settings.Journal, System.Settings.SnapshotStore, System.Settings.Serializer);

    private readonly record struct Journaling(IJournal Events, ISnapshotStore Snapshots, EventSerializer Serializer);
}

/// <summary>Akka.NET's name for the event-sourced actor base; see <see cref="Eventsourced"/>.</summary>
public abstract class PersistentActor : Eventsourced
{
}
