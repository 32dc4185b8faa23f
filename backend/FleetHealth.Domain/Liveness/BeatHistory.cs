namespace FleetHealth.Domain.Liveness;

/// <summary>
/// What a sensor's accepted heartbeats add up to: first and last receipt, count, interval
/// statistics, lost beats. Shared by the actor's state and the read model's row, so that both
/// count the same way.
/// </summary>
public readonly record struct BeatHistory(DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen, long Count, IntervalStats Intervals, long LostBeats)
{
    /// <summary>The history after <paramref name="beat"/>, and the seconds since the previous beat (null for the first).</summary>
    public (BeatHistory History, double? IntervalSeconds) Record(HeartbeatRecorded beat)
    {
        double? interval = LastSeen is { } previous && beat.At > previous ? (beat.At - previous).TotalSeconds : null;
        var history = new BeatHistory(
            FirstSeen ?? beat.At,
            LastSeen is { } last && last > beat.At ? last : beat.At,
            Count + 1,
            interval is { } seconds ? Intervals.Add(seconds) : Intervals,
            LostBeatCount.Add(LostBeats, beat.LostBeats));
        return (history, interval);
    }
}
