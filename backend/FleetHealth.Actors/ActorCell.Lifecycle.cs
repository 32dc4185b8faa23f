using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors;

/// <summary>Why an actor stopped: decides whether later messages are forwarded or dead letters.</summary>
internal enum StopReason : byte
{
    None,
    Stopped,
    Passivated,
    Failed,
}

/// <summary>Start, restart (supervision), stop and passivation.</summary>
internal sealed partial class ActorCell
{
    private bool _stopRequested;
    private StopReason _stopReason;
    private TaskCompletionSource? _terminated;

    internal StopReason StopReason => _stopReason;

    /// <summary>Completes when the actor has stopped for good (any reason).</summary>
    internal Task WhenTerminated
    {
        get
        {
            lock (this)
            {
                if (_status == Terminated)
                {
                    return Task.CompletedTask;
                }

                _terminated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _terminated.Task;
            }
        }
    }

    internal void StopAfterCurrentMessage() => _stopRequested = true;

    private void HandleSystem(SystemMessage message, Envelope envelope)
    {
        switch (message)
        {
            case Create:
                Start();
                break;
            case Stop:
                if (_actor is { CanStopNow: false })
                {
                    // Wait for the in-flight persist or recovery; the stop keeps its place among stashed messages.
                    Stash(envelope);
                }
                else
                {
                    Terminate(StopReason.Stopped);
                }

                break;
            case Passivate:
                if (IsIdleFor(System.PassivationIdleTicks) && _actor is { CanStopNow: true } && !HasStash)
                {
                    System.CountPassivation();
                    Terminate(StopReason.Passivated);
                }

                break;
            case AsyncResult result when ReferenceEquals(result.Owner, _actor):
                try
                {
                    result.Apply();
                }
                catch (Exception exception)
                {
                    Restart(exception, result, null);
                }

                break;
            default:
                // A result for an instance that was replaced by a restart: nobody is waiting for it.
                break;
        }
    }

    internal bool IsIdleFor(long ticks) => System.Wheel.CurrentTick - LastActivityTick >= ticks;

    private void Start()
    {
        Volatile.Write(ref _lastActivityTick, System.Wheel.CurrentTick);
        try
        {
            _actor = _props.Factory();
            _actor.Attach(this);
            _actor.AroundPreStart();
            if (!_actor.ShouldStash)
            {
                // Messages that arrived before the start (or survived a restart) go first.
                UnstashAll();
            }
        }
        catch (Exception exception)
        {
            System.Logger.LogError(exception, "Actor {ActorId} failed to start; it is stopped", Id);
            System.CountFailure(exception);
            _actor = null;
            Terminate(StopReason.Failed);
        }
    }

    /// <summary>
    /// Supervision: the failing message is dropped (an asker gets an error at once), the instance
    /// discarded with its timers, and a fresh one started (a persistent one recovers). Queued and
    /// stashed messages are kept.
    /// </summary>
    private void Restart(Exception exception, object message, IActorRef? sender)
    {
        System.Logger.LogError(exception, "Actor {ActorId} failed on {MessageType}; restarting it", Id, message.GetType().Name);
        System.CountFailure(exception);
        if (sender is AskRef ask)
        {
            ask.Fail(new ActorNotAvailableException($"Actor '{Id}' failed while handling the request.", exception));
        }

        CancelAllTimers();
        StopInstance();
        System.CountRestart();
        Start();
    }

    private void StopInstance()
    {
        var instance = _actor;
        _actor = null;
        if (instance is null)
        {
            return;
        }

        try
        {
            instance.AroundPostStop();
        }
        catch (Exception exception)
        {
            System.Logger.LogError(exception, "PostStop of actor {ActorId} threw", Id);
        }
    }

    /// <summary>
    /// Stops for good, on the actor's turn. Everything happens under the cell's lock, which producers
    /// that find the cell terminated also take before re-routing their message: so a passivated actor's
    /// queued messages reach the next incarnation before anything sent after them.
    /// </summary>
    internal void Terminate(StopReason reason)
    {
        CancelAllTimers();
        StopInstance();
        _stopReason = reason;
        TaskCompletionSource? terminated;
        lock (this)
        {
            Volatile.Write(ref _status, Terminated);
            terminated = _terminated;
            var leftovers = TakeAllQueued();
            if (reason == StopReason.Passivated && leftovers is not null)
            {
                // Messages raced with passivation: hand them, in order, to a new incarnation that
                // replaces this cell in the registry atomically.
                System.Reincarnate(this, leftovers);
            }
            else
            {
                System.Unregister(this);
                DeliverElsewhere(leftovers);
            }
        }

        System.OnIdle();
        terminated?.TrySetResult();
    }

    /// <summary>Stash, batch and inbox as one FIFO list, in arrival order.</summary>
    private Envelope? TakeAllQueued()
    {
        var list = _stashHead;
        var tail = _stashTail;
        _stashHead = _stashTail = null;
        var batch = _batch;
        _batch = null;
        var stack = Interlocked.Exchange(ref _inbox, null);
        var rest = stack is null ? batch : Append(batch, Reverse(stack));
        if (tail is null)
        {
            return rest;
        }

        tail.Next = rest;
        return list;
    }

    private static Envelope? Append(Envelope? first, Envelope second)
    {
        if (first is null)
        {
            return second;
        }

        var last = first;
        while (last.Next is not null)
        {
            last = last.Next;
        }

        last.Next = second;
        return first;
    }

    /// <summary>A new incarnation's mailbox: Create, then <paramref name="messages"/>, before anything posted later.</summary>
    internal void PrimeWith(Envelope messages)
    {
        _batch = new Envelope(Create.Instance, null) { Next = messages };
    }
}
