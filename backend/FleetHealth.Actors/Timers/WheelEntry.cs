namespace FleetHealth.Actors;

/// <summary>
/// One armed deadline in the <see cref="TimingWheel"/>: a node of its bucket's doubly linked list, so
/// arming, re-arming and cancelling are O(1) and allocate nothing once the entry exists.
/// All fields except <see cref="Generation"/> reads are guarded by the wheel's lock.
/// </summary>
internal abstract class WheelEntry
{
    public WheelEntry? Next { get; set; }

    public WheelEntry? Prev { get; set; }

    /// <summary>Absolute wheel tick at which the entry is due.</summary>
    public long DeadlineTick { get; set; }

    /// <summary>Zero for a single shot; otherwise re-armed this many ticks after each firing (fixed delay).</summary>
    public long IntervalTicks { get; set; }

    public bool Linked { get; set; }

    private int _generation;

    /// <summary>Bumped on every arm and cancel, so firings of an older arming can be recognised and dropped.</summary>
    public int Generation => Volatile.Read(ref _generation);

    public void BumpGeneration() => Interlocked.Increment(ref _generation);

    /// <summary>Called outside the wheel's lock, on the wheel's thread; must be quick and must not throw.</summary>
    public abstract void Fire(int generation);
}

/// <summary>A runtime-level periodic callback on the wheel (the passivation sweep).</summary>
internal sealed class CallbackEntry(Action callback) : WheelEntry
{
    public override void Fire(int generation) => callback();
}
