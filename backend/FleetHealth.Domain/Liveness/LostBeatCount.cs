namespace FleetHealth.Domain.Liveness;

/// <summary>
/// How lost beats add up, shared by the sensor's own counter (<see cref="BeatHistory"/>) and the
/// lost_beats query (db/queries/lost_beats.sql, which does the same in SQL). Each recorded beat
/// carries its change to the count (<see cref="HeartbeatRecorded.LostBeats"/>, as
/// <see cref="SequenceTracker"/> classifies it; stored per heartbeat as <c>lost_before</c>); the lost
/// beats of a set of beats are the sum of their changes, never below zero. A window whose beats only
/// give back losses counted before it (late beats filling an earlier gap) therefore counts 0, not
/// a negative number.
/// </summary>
public static class LostBeatCount
{
    /// <summary>The count after a beat's change.</summary>
    public static long Add(long count, long change) => Math.Max(0, count + change);

    /// <summary>The lost beats of a set of beats, from their changes.</summary>
    public static long Of(IEnumerable<long> changes) => Math.Max(0, changes.Sum());
}
