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

    /// <summary>
    /// Older than the first number since the counter (re)started, not seen yet: a beat delayed past
    /// the start (10, then 3). It fills no gap that was counted, so it gives no loss back.
    /// </summary>
    BeforeStart,
}

/// <summary>
/// The newest sequence number, a 64-bit window of which ones below it were seen, and the first
/// number since the counter (re)started: duplicates within the last 64 are recognised exactly, and
/// only a gap above <see cref="Floor"/> was counted lost, so only a beat in it gives a loss back.
/// </summary>
/// <remarks>
/// Lost beats, the one definition (<see cref="LostBeatCount"/>): a beat with a number above the
/// newest counts the numbers it skipped; a late beat (reordered) inside a counted gap gives one
/// back; a repeat within the window changes nothing (it is a duplicate, not recorded); a return to
/// 0, or a number 64 or more below the newest, is a reboot (the count starts again, no loss); a
/// number below the first since the last (re)start is a delayed beat and counts nothing. So the
/// running count never goes below zero. <see cref="Floor"/> is 0 in snapshots written before it
/// existed: every unseen number in the window then counts as a filled gap, as it used to.
/// </remarks>
public readonly record struct SequenceTracker(long Highest, ulong Seen, long Floor = 0)
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

        if (seq < Floor)
        {
            return SequenceVerdict.BeforeStart;
        }

        lostDelta = -1;
        return SequenceVerdict.Late;
    }

    /// <summary>The tracker after accepting <paramref name="sequence"/> with the given verdict.</summary>
    public SequenceTracker Accept(long sequence, SequenceVerdict verdict) => verdict switch
    {
        SequenceVerdict.Fresh when !IsEmpty => new(sequence, ShiftedSeen(sequence - Highest) | 1UL, Floor),
        SequenceVerdict.Fresh or SequenceVerdict.Reset => new(sequence, 1UL, sequence),
        SequenceVerdict.Late or SequenceVerdict.BeforeStart => this with { Seen = Seen | (1UL << (int)(Highest - sequence)) },
        _ => this,
    };

    private ulong ShiftedSeen(long by) => by >= Window ? 0 : Seen << (int)by;
}
