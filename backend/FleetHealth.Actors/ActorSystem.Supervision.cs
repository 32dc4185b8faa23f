using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors;

/// <summary>Failure and dead-letter accounting.</summary>
public sealed partial class ActorSystem
{
    private long _failures;
    private long _restarts;
    private long _deadLetters;
    private long _passivations;

    /// <summary>Exceptions thrown by actors (handlers, start, recovery) since the system started.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Restarts performed by supervision.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    /// <summary>Messages that reached no actor (stopped target, unhandled).</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Actors stopped for being idle.</summary>
    public long Passivations => Interlocked.Read(ref _passivations);

    internal void CountFailure(Exception exception)
    {
        Interlocked.Increment(ref _failures);
        ActorMetrics.Failures.Add(1, new KeyValuePair<string, object?>("exception", exception.GetType().Name));
    }

    internal void CountRestart()
    {
        Interlocked.Increment(ref _restarts);
        ActorMetrics.Restarts.Add(1);
    }

    internal void CountPassivation()
    {
        Interlocked.Increment(ref _passivations);
        ActorMetrics.Passivations.Add(1);
    }

    /// <summary>A message that reached no actor; an ask waiting on it fails at once.</summary>
    internal void DeadLetter(object message, IActorRef? sender, string recipient, string reason)
    {
        Interlocked.Increment(ref _deadLetters);
        ActorMetrics.DeadLetters.Add(1);
        if (sender is AskRef ask)
        {
            ask.Fail(new ActorNotAvailableException($"Actor '{recipient}' did not handle the request: {reason}."));
        }

        if (Logger.IsEnabled(LogLevel.Debug))
        {
            Logger.LogDebug("Dead letter {MessageType} to {ActorId}: {Reason}", message.GetType().Name, recipient, reason);
        }
    }

    /// <summary>
    /// Replaces a passivated cell by a new incarnation whose mailbox starts with the messages that raced
    /// with the passivation (system messages dropped). Called under the old cell's lock.
    /// </summary>
    internal void Reincarnate(ActorCell old, Envelope leftovers)
    {
        Envelope? head = null;
        Envelope? tail = null;
        for (var envelope = leftovers; envelope is not null;)
        {
            var next = envelope.Next;
            envelope.Next = null;
            if (envelope.Message is not SystemMessage)
            {
                if (tail is null)
                {
                    head = tail = envelope;
                }
                else
                {
                    tail.Next = envelope;
                    tail = envelope;
                }
            }

            envelope = next;
        }

        if (head is null || Volatile.Read(ref _disposed) != 0)
        {
            Unregister(old);
            for (var envelope = head; envelope is not null; envelope = envelope.Next)
            {
                DeadLetter(envelope.Message, envelope.Sender, old.Id, "the system is shutting down");
            }

            return;
        }

        var successor = new ActorCell(this, old.Props, old.Id);
        successor.PrimeWith(head);
        if (!_actors.TryUpdate(old.Id, successor, old))
        {
            // Not registered any more (cannot happen while only a cell removes itself): register fresh.
            successor = GetOrCreateCell(old.Id, old.Props);
            for (var envelope = head; envelope is not null;)
            {
                var next = envelope.Next;
                envelope.Next = null;
                successor.Post(envelope);
                envelope = next;
            }

            return;
        }

        successor.Schedule();
    }

    /// <summary>
    /// A message left in a stopped actor's mailbox. After passivation it goes to a new incarnation
    /// (created on demand), so passivation loses nothing; otherwise it is a dead letter.
    /// </summary>
    internal void Undeliverable(ActorCell cell, Envelope envelope)
    {
        switch (envelope.Message)
        {
            case TimerFired or Create or Passivate or AsyncResult:
                return;
            case Stop:
                // Already stopped: that is what the sender wanted.
                return;
        }

        if (cell.StopReason == StopReason.Passivated && Volatile.Read(ref _disposed) == 0)
        {
            GetOrCreateCell(cell.Id, cell.Props).Post(new Envelope(envelope.Message, envelope.Sender));
            return;
        }

        DeadLetter(envelope.Message, envelope.Sender, cell.Id, "the actor is stopped");
    }
}
