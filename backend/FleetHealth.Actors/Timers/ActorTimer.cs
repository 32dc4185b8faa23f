namespace FleetHealth.Actors;

/// <summary>
/// A named timer of one actor. Kept in the actor's own singly linked list (by <see cref="NextOfOwner"/>)
/// and re-used when the same key is re-armed, so re-arming on every message allocates nothing.
/// </summary>
internal sealed class ActorTimer(ActorCell owner, object key) : WheelEntry
{
    public ActorCell Owner { get; } = owner;

    public object Key { get; } = key;

    public object Message { get; set; } = null!;

    public ActorTimer? NextOfOwner { get; set; }

    /// <summary>Armed and not cancelled. Written only on the owner's turn.</summary>
    public bool Active { get; set; }

    public override void Fire(int generation) => Owner.Post(new Envelope(new TimerFired(this, generation), null));

    /// <summary>On the owner's turn, just before the message is handled: a single shot is used up.</summary>
    public void OnDelivered(ActorCell cell)
    {
        if (IntervalTicks == 0)
        {
            cell.RemoveTimer(this);
        }
    }
}

/// <summary>A firing of a timer, checked on the owner's turn: stale firings (cancelled, re-armed, restarted) are dropped.</summary>
internal sealed class TimerFired(ActorTimer timer, int generation) : SystemMessage
{
    public ActorTimer Timer { get; } = timer;

    public bool IsCurrentFor(ActorCell cell) =>
        ReferenceEquals(Timer.Owner, cell) && Timer.Active && Timer.Generation == generation;
}
