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
            System.CountFailure(this, exception);
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
        System.CountFailure(this, exception);
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
    /// Stops for good, on the actor's turn. The registry entry goes first, so that a producer who finds
    /// the cell terminated and asks the registry again gets a new incarnation (after passivation) rather than
    /// this one.
    /// </summary>
    internal void Terminate(StopReason reason)
    {
        CancelAllTimers();
        StopInstance();
        _stopReason = reason;
        System.Unregister(this);
        TaskCompletionSource? terminated;
        lock (this)
        {
            Volatile.Write(ref _status, Terminated);
            terminated = _terminated;
            var stash = _stashHead;
            _stashHead = _stashTail = null;
            DeliverElsewhere(stash);
            var batch = _batch;
            _batch = null;
            DeliverElsewhere(batch);
            var stack = Interlocked.Exchange(ref _inbox, null);
            if (stack is not null)
            {
                DeliverElsewhere(Reverse(stack));
            }
        }

        System.OnIdle();
        terminated?.TrySetResult();
    }
}
