using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors.Persistence;

/// <summary>Persist and PersistAll: events written through the journal, handlers run after durability.</summary>
public abstract partial class Eventsourced
{
    // Persist calls of the command being handled; written together when the handler returns.
    private List<PendingInvocation>? _pending;

    // The write on its way to the journal; while set, commands are stashed.
    private List<PendingInvocation>? _inFlight;

    /// <summary>
    /// Records <paramref name="event"/>: when the current command handler returns, the event is written to
    /// the journal; once durable, <paramref name="handler"/> runs (on the actor's turn, with <c>Sender</c>
    /// set to this command's sender) and only then are later commands handled. Reply from the handler to
    /// acknowledge only what is durable. All events persisted while handling one command are written as
    /// one atomic write. If the write fails (including a unique-key conflict: another writer), the actor
    /// logs it via <see cref="OnPersistFailure"/> and stops; waiting askers fail.
    /// </summary>
    protected void Persist<TEvent>(TEvent @event, Action<TEvent> handler)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(handler);
        if (_recovering)
        {
            throw new InvalidOperationException("Persist is not allowed during recovery.");
        }

        (_pending ??= []).Add(new PendingInvocation<TEvent>(@event, handler, Cell.CurrentSenderOrNull));
    }

    /// <summary>
    /// Records several events atomically (all durable or none), then runs <paramref name="handler"/> for each
    /// in order. Same stashing and failure rules as <see cref="Persist{TEvent}"/>.
    /// </summary>
    protected void PersistAll<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var @event in events)
        {
            Persist(@event, handler);
        }
    }

    /// <summary>Tags stored with an event (for projections by tag); none by default.</summary>
    protected virtual string[] TagsFor(object @event) => [];

    /// <summary>
    /// Called when a write failed (journal error or a conflict with another writer). The actor stops
    /// right after; the default logs the error, or only counts it while storage is unreachable
    /// (<see cref="StorageOutageLog"/>).
    /// </summary>
    protected virtual void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        if (!System.StorageOutages.Failed("actor persists refused", cause))
        {
            Log.LogError(cause, "Persist of event {SequenceNr} ({EventType}) of {PersistenceId} failed; stopping the actor", sequenceNr, @event.GetType().Name, PersistenceId);
        }
    }

    private void FlushPendingWrites()
    {
        var pending = _pending;
        if (pending is null)
        {
            return;
        }

        _pending = null;
        var journaling = Journal;
        var persistenceId = PersistenceId;
        var events = new PersistentRepr[pending.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var payload = journaling.Serializer.Serialize(pending[i].Event, out var manifest);
            events[i] = new PersistentRepr(persistenceId, LastSequenceNr + 1 + i, manifest, payload, TagsFor(pending[i].Event));
        }

        _inFlight = pending;
        System.OnScheduled();
        _ = WriteAsync(journaling.Events, new AtomicWrite(events));
    }

    private async Task WriteAsync(IJournal journal, AtomicWrite write)
    {
        Exception? error = null;
        try
        {
            await journal.WriteAsync(write).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            error = exception;
        }

        Cell.Post(new Envelope(new WriteCompleted(this, write, error), null));
        System.OnIdle();
    }

    private void OnWriteCompleted(AtomicWrite write, Exception? error)
    {
        var invocations = _inFlight!;
        _inFlight = null;
        if (error is not null)
        {
            OnPersistFailure(error, invocations[0].Event, write.LowestSequenceNr);
            System.CountFailure(error);
            foreach (var invocation in invocations)
            {
                if (invocation.Sender is AskRef ask)
                {
                    ask.Fail(new ActorNotAvailableException($"Persist of '{PersistenceId}' failed.", error));
                }
            }

            Cell.Terminate(StopReason.Failed);
            return;
        }

        for (var i = 0; i < invocations.Count; i++)
        {
            LastSequenceNr = write.Events[i].SequenceNr;
            var previous = Cell.SwapSender(invocations[i].Sender);
            try
            {
                invocations[i].Invoke();
            }
            finally
            {
                Cell.SwapSender(previous);
            }
        }

        SnapshotIfDue();
        FlushPendingWrites();
        if (_inFlight is null)
        {
            Cell.UnstashAll();
        }
    }

    private abstract class PendingInvocation(object @event, IActorRef? sender)
    {
        public object Event { get; } = @event;

        public IActorRef? Sender { get; } = sender;

        public abstract void Invoke();
    }

    private sealed class PendingInvocation<TEvent>(TEvent @event, Action<TEvent> handler, IActorRef? sender) : PendingInvocation(@event, sender)
        where TEvent : notnull
    {
        public override void Invoke() => handler(@event);
    }

    private sealed class WriteCompleted(Eventsourced owner, AtomicWrite write, Exception? error) : AsyncResult(owner)
    {
        public override void Apply() => owner.OnWriteCompleted(write, error);
    }
}
