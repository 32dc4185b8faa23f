namespace FleetHealth.Actors;

/// <summary>
/// One hashed timing wheel for all timers of an <see cref="ActorSystem"/>: a ring of buckets, each
/// a linked list of entries whose deadline tick hashes to it (deadline mod size); entries due in a
/// later revolution simply stay until their tick comes. A million armed timers therefore cost a
/// million small objects and no OS timer: the wheel is driven by a single timer of its
/// <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Each drive catches up from the last processed tick to the clock's current tick, in tick order,
/// so a virtual clock advanced by a day fires everything due within that day, in deadline order,
/// with periodic timers firing once per period of virtual time. Timers never fire early; they fire
/// up to one tick late.
/// </remarks>
internal sealed class TimingWheel : IDisposable
{
    private readonly Lock _lock = new();
    private readonly WheelEntry?[] _buckets;
    private readonly long _mask;
    private readonly long _tickLength;
    private readonly TimeProvider _clock;
    private readonly DateTimeOffset _origin;
    private readonly List<(WheelEntry Entry, int Generation)> _due = [];
    private readonly ITimer _driver;
    private long _currentTick;
    private int _count;
    private int _advancing;

    public TimingWheel(TimeProvider clock, TimeSpan tick, int size)
    {
        if (tick <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), "The wheel's tick must be positive.");
        }

        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "The wheel's size must be a power of two.");
        }

        _clock = clock;
        _tickLength = tick.Ticks;
        _buckets = new WheelEntry?[size];
        _mask = size - 1;
        _origin = clock.GetUtcNow();
        _driver = clock.CreateTimer(static state => ((TimingWheel)state!).Advance(), this, tick, tick);
    }

    /// <summary>The last tick processed: a cheap, monotonic notion of "now" for idle accounting.</summary>
    public long CurrentTick => Volatile.Read(ref _currentTick);

    public TimeSpan TickLength => TimeSpan.FromTicks(_tickLength);

    /// <summary>Armed entries.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Ticks (rounded up) that <paramref name="span"/> lasts; at least one.</summary>
    public long TicksOf(TimeSpan span) => Math.Max(1, (span.Ticks + _tickLength - 1) / _tickLength);

    /// <summary>Arms (or re-arms) <paramref name="entry"/> to fire after <paramref name="delay"/>.</summary>
    public void Schedule(WheelEntry entry, TimeSpan delay, TimeSpan interval)
    {
        var elapsed = (_clock.GetUtcNow() - _origin).Ticks + Math.Max(0, delay.Ticks);
        var deadline = (elapsed + _tickLength - 1) / _tickLength;
        lock (_lock)
        {
            if (entry.Linked)
            {
                Unlink(entry);
            }

            entry.BumpGeneration();
            entry.IntervalTicks = interval > TimeSpan.Zero ? TicksOf(interval) : 0;
            entry.DeadlineTick = Math.Max(deadline, _currentTick + 1);
            Link(entry);
        }
    }

    /// <summary>Disarms <paramref name="entry"/>; a firing already on its way is recognised by its generation.</summary>
    public void Cancel(WheelEntry entry)
    {
        lock (_lock)
        {
            if (entry.Linked)
            {
                Unlink(entry);
            }

            entry.BumpGeneration();
        }
    }

    /// <summary>Processes every tick up to the clock's now. Re-entrant calls (a slow drive) are skipped.</summary>
    public void Advance()
    {
        if (Interlocked.CompareExchange(ref _advancing, 1, 0) != 0)
        {
            return;
        }

        try
        {
            var target = (_clock.GetUtcNow() - _origin).Ticks / _tickLength;
            lock (_lock)
            {
                CollectDue(target);
            }

            foreach (var (entry, generation) in _due)
            {
                entry.Fire(generation);
            }

            _due.Clear();
        }
        finally
        {
            Volatile.Write(ref _advancing, 0);
        }
    }

    private void CollectDue(long target)
    {
        while (_currentTick < target)
        {
            if (_count == 0)
            {
                // Nothing armed: jump, instead of walking empty buckets through a long virtual advance.
                Volatile.Write(ref _currentTick, target);
                return;
            }

            var tick = _currentTick + 1;
            var entry = _buckets[tick & _mask];
            while (entry is not null)
            {
                var next = entry.Next;
                if (entry.DeadlineTick <= tick)
                {
                    Unlink(entry);
                    _due.Add((entry, entry.Generation));
                    if (entry.IntervalTicks > 0)
                    {
                        // Fixed delay: the next firing is one interval after this one.
                        entry.DeadlineTick = tick + entry.IntervalTicks;
                        Link(entry);
                    }
                }

                entry = next;
            }

            Volatile.Write(ref _currentTick, tick);
        }
    }

    private void Link(WheelEntry entry)
    {
        ref var head = ref _buckets[entry.DeadlineTick & _mask];
        entry.Prev = null;
        entry.Next = head;
        if (head is not null)
        {
            head.Prev = entry;
        }

        head = entry;
        entry.Linked = true;
        _count++;
    }

    private void Unlink(WheelEntry entry)
    {
        if (entry.Prev is null)
        {
            _buckets[entry.DeadlineTick & _mask] = entry.Next;
        }
        else
        {
            entry.Prev.Next = entry.Next;
        }

        if (entry.Next is not null)
        {
            entry.Next.Prev = entry.Prev;
        }

        entry.Next = entry.Prev = null;
        entry.Linked = false;
        _count--;
    }

    public void Dispose() => _driver.Dispose();
}
