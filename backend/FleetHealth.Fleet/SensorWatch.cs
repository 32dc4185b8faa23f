using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet;

/// <summary>
/// What decides a sensor's next silence deadline, as a view kept outside its actor (the read model)
/// knows it: <paramref name="WatchFrom"/> may be earlier than the actor's own (a deadline then comes
/// early, never late).
/// </summary>
public readonly record struct SensorWatch(LivenessStatus Status, DateTimeOffset? WatchFrom, SensorSettings Settings)
{
    public DateTimeOffset? NextDeadline(LivenessPolicy policy) => SensorLiveness.NextDeadline(Status, WatchFrom, Settings, policy);
}
