using FleetHealth.Domain.Liveness;

namespace FleetHealth.Domain.Notifications;

/// <summary>The kinds of transition a notification rule can ask for, and which kind a status change is.</summary>
public static class TransitionKinds
{
    public const string Late = "late";
    public const string Stale = "stale";
    public const string Dead = "dead";
    public const string Fault = "fault";
    public const string Recovered = "recovered";
    public const string Retired = "retired";

    public static readonly IReadOnlyList<string> All = [Late, Stale, Dead, Fault, Recovered, Retired];

    /// <summary>
    /// The kind of a change from <paramref name="from"/> to <paramref name="to"/>, or null for a
    /// change no rule can ask for (a first heartbeat, a reactivation). Recovered: back to healthy
    /// from late, stale, dead or fault.
    /// </summary>
    public static string? Of(LivenessStatus from, LivenessStatus to) => to switch
    {
        LivenessStatus.Late => Late,
        LivenessStatus.Stale => Stale,
        LivenessStatus.Dead => Dead,
        LivenessStatus.Fault => Fault,
        LivenessStatus.Retired => Retired,
        LivenessStatus.Healthy when from is LivenessStatus.Late or LivenessStatus.Stale or LivenessStatus.Dead or LivenessStatus.Fault => Recovered,
        _ => null,
    };

    /// <summary>A kind that means the sensor is in trouble (the group stays open while one member is).</summary>
    public static bool IsFiring(string kind) => kind is Late or Stale or Dead or Fault;
}
