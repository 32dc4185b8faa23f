namespace FleetHealth.Actors;

/// <summary>Queueing and scheduling: many producers, one consumer, no lock on the fast path.</summary>
internal sealed partial class ActorCell : IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Scheduled = 1;
    private const int Terminated = 2;

    // Producers push onto this stack with a CAS; the consumer takes it whole and reverses it into
    // _batch. Null when empty: an idle actor's mailbox costs nothing.
    private Envelope? _inbox;

    // Consumer-only FIFO of messages taken from _inbox (and of unstashed messages, put in front).
    private Envelope? _batch;

    private int _status;

    public bool IsTerminated => Volatile.Read(ref _status) == Terminated;

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Post(new Envelope(message, sender));
    }

    internal void Post(Envelope envelope)
    {
        Envelope? head;
        do
        {
            head = Volatile.Read(ref _inbox);
            envelope.Next = head;
        }
        while (Interlocked.CompareExchange(ref _inbox, envelope, head) != head);

        TrySchedule();
    }

    /// <summary>Puts the Create message in the mailbox without scheduling: the cell is not yet registered.</summary>
    internal void PrimeCreate() => _inbox = new Envelope(Create.Instance, null);

    /// <summary>Schedules a primed cell once it is registered.</summary>
    internal void Schedule() => TrySchedule();

    private void TrySchedule()
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if (status == Scheduled)
            {
                // The running consumer re-checks the inbox before it goes idle.
                return;
            }

            if (status == Terminated)
            {
                DrainInboxAfterTermination();
                return;
            }

            if (Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle)
            {
                System.OnScheduled();
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
    }

    /// <summary>Runs up to <see cref="ActorSystemSettings.Throughput"/> messages, then yields the thread.</summary>
    public void Execute()
    {
        var budget = System.Settings.Throughput;
        while (budget-- > 0)
        {
            var envelope = TakeNext();
            if (envelope is null)
            {
                break;
            }

            Invoke(envelope);
            if (_stopRequested && _status != Terminated)
            {
                Terminate(StopReason.Stopped);
            }

            if (_status == Terminated)
            {
                return;
            }
        }

        if (_batch is not null)
        {
            // Budget used up: stay scheduled (still counted busy) and let other actors run first.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;
        }

        // A full fence between going idle and re-reading the inbox (Dekker's pattern, mirrored by the
        // producer's CAS on _inbox before it reads _status): with a plain store, the CPU may let the
        // inbox read pass the status write, so a producer that sees "Scheduled" and a consumer that
        // sees an empty inbox both walk away, and the message waits for the next one (lost wakeup).
        Interlocked.Exchange(ref _status, Idle);
        if (Volatile.Read(ref _inbox) is not null && Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle)
        {
            // A message arrived while we were finishing: keep the busy count we already hold.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;
        }

        System.OnIdle();
    }

    private Envelope? TakeNext()
    {
        if (_batch is null)
        {
            var stack = Interlocked.Exchange(ref _inbox, null);
            if (stack is null)
            {
                return null;
            }

            _batch = Reverse(stack);
        }

        var next = _batch;
        _batch = next.Next;
        next.Next = null;
        return next;
    }

    private static Envelope Reverse(Envelope stack)
    {
        Envelope? reversed = null;
        var current = stack;
        while (current is not null)
        {
            var next = current.Next;
            current.Next = reversed;
            reversed = current;
            current = next;
        }

        return reversed!;
    }

    /// <summary>A producer raced with termination: hand its message (and any others) to the system.</summary>
    private void DrainInboxAfterTermination()
    {
        lock (this)
        {
            var stack = Interlocked.Exchange(ref _inbox, null);
            if (stack is not null)
            {
                DeliverElsewhere(Reverse(stack));
            }
        }
    }

    private void DeliverElsewhere(Envelope? list)
    {
        while (list is not null)
        {
            var next = list.Next;
            list.Next = null;
            System.Undeliverable(this, list);
            list = next;
        }
    }
}
