namespace FleetHealth.Domain.Liveness;

/// <summary>
/// A sensor's liveness. The silence states are ordered: Healthy &lt; Late &lt; Stale &lt; Dead, and
/// a sensor's own timers only ever move it forward along them; a heartbeat moves it back.
/// </summary>
public enum LivenessStatus
{
    /// <summary>Known (provisioned) but never heard from.</summary>
    Registered,

    /// <summary>Heard from within interval + grace, and not flapping.</summary>
    Healthy,

    /// <summary>Reported <c>status: fault</c> in its latest heartbeat.</summary>
    Fault,

    /// <summary>Silent for interval + grace, or N of the last M expected beats missed.</summary>
    Late,

    /// <summary>Silent for the stale threshold (default 10 minutes).</summary>
    Stale,

    /// <summary>Silent for the dead threshold (default 7 days): its lifespan ends here.</summary>
    Dead,

    /// <summary>Decommissioned by an operator: its lifespan ends, no timers, no alerts.</summary>
    Retired,
}

public static class LivenessStatusExtensions
{
    /// <summary>Rank along the silence scale; states a timer can reach rank above those it leaves.</summary>
    public static int SilenceRank(this LivenessStatus status) => status switch
    {
        LivenessStatus.Healthy or LivenessStatus.Fault => 0,
        LivenessStatus.Late => 1,
        LivenessStatus.Stale => 2,
        LivenessStatus.Dead => 3,
        _ => -1,
    };
}
