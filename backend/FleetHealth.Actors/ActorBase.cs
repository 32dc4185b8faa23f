using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors;

/// <summary>
/// Base of every actor. The runtime calls <see cref="OnReceive"/> with one message at a time, never
/// concurrently, on a thread-pool thread; memory written by one call is visible to the next. Actor
/// code therefore needs no locks, but must not block (no <c>.Result</c>, no sleeping) and must not
/// touch its fields from other threads (for example from a continuation of a task it started: send
/// the result to <see cref="Self"/> instead).
/// </summary>
/// <remarks>
/// An exception thrown by a handler restarts the actor (see <see cref="ActorSystem"/>): the failing
/// message is dropped, a new instance is created from the <see cref="Props"/>, timers are cancelled,
/// a persistent actor recovers from its journal. Messages already queued are kept.
/// </remarks>
public abstract class ActorBase
{
    private ActorCell? _cell;

    internal ActorCell Cell => _cell ?? throw new InvalidOperationException("The actor is not started: use ActorSystem.ActorOf, not new.");

    /// <summary>This actor's own reference.</summary>
    protected IActorRef Self => Cell;

    /// <summary>The sender of the message being handled, or <see cref="ActorRefs.Nobody"/>. Valid only during a handler.</summary>
    protected IActorRef Sender => Cell.CurrentSender;

    /// <summary>The system this actor lives in.</summary>
    protected ActorSystem System => Cell.System;

    /// <summary>This actor's named timers (see <see cref="TimerScheduler"/>); cancelled on stop and restart.</summary>
    protected TimerScheduler Timers => new(Cell);

    /// <summary>A logger named after the actor's type.</summary>
    protected ILogger Log => Cell.System.LoggerFor(GetType());

    /// <summary>Handles one message. Throwing restarts the actor.</summary>
    /// <param name="message">The message; use pattern matching to dispatch.</param>
    protected abstract void OnReceive(object message);

    /// <summary>Called on the actor's turn before the first message of each incarnation (after restarts too).</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>Called on the actor's turn after its last message, on stop and before a restart. Must not throw.</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>A message this actor does not handle: counted as a dead letter.</summary>
    protected void Unhandled(object message) => Cell.System.DeadLetter(message, Cell.CurrentSenderOrNull, Cell.Id, "unhandled");

    /// <summary>Stops this actor after the current message; messages still queued become dead letters.</summary>
    protected void StopSelf() => Cell.StopAfterCurrentMessage();

    internal void Attach(ActorCell cell) => _cell = cell;

    internal virtual void AroundPreStart() => PreStart();

    internal virtual void AroundReceive(object message) => OnReceive(message);

    internal void AroundPostStop() => PostStop();

    /// <summary>True while user messages must wait (a persist or a recovery is in flight).</summary>
    internal virtual bool ShouldStash => false;

    /// <summary>Restart, stop and passivation wait until this is true (they are stashed meanwhile).</summary>
    internal virtual bool CanStopNow => true;
}
