namespace FleetHealth.Domain.Liveness;

/// <summary>What a sequence number means, given the ones seen before.</summary>
public enum SequenceVerdict
{
    /// <summary>No sequence number sent: nothing to check.</summary>
    None,

    /// <summary>New and in order (gaps before it are lost beats).</summary>
    Fresh,

    /// <summary>Already seen: acknowledged again, counted once.</summary>
    Duplicate,

    /// <summary>Older than the newest but not seen yet: a late beat that fills a gap.</summary>
    Late,

    /// <summary>Restarted at 0 or far below the window: the sensor rebooted; no loss is inferred.</summary>
    Reset,
}

/// <summary>
/// The newest sequence number and a 64-bit window of which ones below it were seen: duplicates
/// within the last 64 are recognised exactly, in 16 bytes per sensor.
/// </summary>
public readonly record struct SequenceTracker(long Highest, ulong Seen)
{
    public const int Window = 64;

    public static SequenceTracker Empty { get; } = new(-1, 0);

    public bool IsEmpty => Highest < 0;

    /// <summary>Classifies <paramref name="sequence"/>; <paramref name="lostDelta"/> is the change to lost beats.</summary>
    public SequenceVerdict Classify(long? sequence, out long lostDelta)
    {
        lostDelta = 0;
        if (sequence is not { } seq)
        {
            return SequenceVerdict.None;
        }

        if (IsEmpty)
        {
            return SequenceVerdict.Fresh;
        }

        if (seq > Highest)
        {
            lostDelta = seq - Highest - 1;
            return SequenceVerdict.Fresh;
        }

        // A counter back at 0 after having moved on is a reboot, not a retry of beat 0.
        if ((seq == 0 && Highest > 0) || seq <= Highest - Window)
        {
            return SequenceVerdict.Reset;
        }

        if ((Seen & (1UL << (int)(Highest - seq))) != 0)
        {
            return SequenceVerdict.Duplicate;
        }

        lostDelta = -1;
        return SequenceVerdict.Late;
    }

    /// <summary>The tracker after accepting <paramref name="sequence"/> with the given verdict.</summary>
    public SequenceTracker Accept(long sequence, SequenceVerdict verdict) => verdict switch
    {
        SequenceVerdict.Fresh when !IsEmpty => new(sequence, ShiftedSeen(sequence - Highest) | 1UL),
        SequenceVerdict.Fresh or SequenceVerdict.Reset => new(sequence, 1UL),
        SequenceVerdict.Late => this with { Seen = Seen | (1UL << (int)(Highest - sequence)) },
        _ => this,
    };

    private ulong ShiftedSeen(long by) => by >= Window ? 0 : Seen << (int)by;
}
