namespace FleetHealth.Actors;

/// <summary>Dispatch of one message, and the stash that holds user messages while a persist or recovery runs.</summary>
internal sealed partial class ActorCell
{
    private Envelope? _stashHead;
    private Envelope? _stashTail;

    // Wheel tick of the last user message: the passivation sweep compares it with the idle timeout.
    private long _lastActivityTick;

    internal long LastActivityTick => Volatile.Read(ref _lastActivityTick);

    internal bool HasStash => _stashHead is not null;

    private void Invoke(Envelope envelope)
    {
        switch (envelope.Message)
        {
            case TimerFired fired:
                if (!fired.IsCurrentFor(this))
                {
                    return;
                }

                if (_actor is null || _actor.ShouldStash)
                {
                    Stash(envelope);
                    return;
                }

                fired.Timer.OnDelivered(this);
                Deliver(fired.Timer.Message, sender: null);
                return;

            case SystemMessage system:
                HandleSystem(system, envelope);
                return;

            default:
                if (_actor is null || _actor.ShouldStash)
                {
                    Stash(envelope);
                    return;
                }

                Deliver(envelope.Message, envelope.Sender);
                return;
        }
    }

    private void Deliver(object message, IActorRef? sender)
    {
        Volatile.Write(ref _lastActivityTick, System.Wheel.CurrentTick);
        _sender = sender;
        try
        {
            _actor!.AroundReceive(message);
        }
        catch (Exception exception)
        {
            Restart(exception, message, sender);
        }
        finally
        {
            _sender = null;
        }
    }

    /// <summary>Sets <see cref="CurrentSender"/> and returns the previous one (persist handlers answer the command's sender).</summary>
    internal IActorRef? SwapSender(IActorRef? sender)
    {
        var previous = _sender;
        _sender = sender;
        return previous;
    }

    private void Stash(Envelope envelope)
    {
        envelope.Next = null;
        if (_stashTail is null)
        {
            _stashHead = _stashTail = envelope;
        }
        else
        {
            _stashTail.Next = envelope;
            _stashTail = envelope;
        }
    }

    /// <summary>Puts every stashed message back in front of the mailbox, in the order they were stashed.</summary>
    internal void UnstashAll()
    {
        if (_stashHead is null)
        {
            return;
        }

        _stashTail!.Next = _batch;
        _batch = _stashHead;
        _stashHead = _stashTail = null;
    }
}
