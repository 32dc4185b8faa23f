using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;

namespace FleetHealth.Domain.Tests.Liveness;

/// <summary>
/// Drives the pure state machine the way the sensor actor does, on a hand-moved clock, keeping
/// every event so that tests can replay them (a restart) and compare.
/// </summary>
internal sealed class SensorTimeline(LivenessPolicy? policy = null, bool autoRegister = true, DateTimeOffset? start = null)
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly SensorId Id = SensorId.TryParse("s-1", out var id, out _) ? id : throw new InvalidOperationException();

    public LivenessPolicy Policy { get; } = policy ?? new LivenessPolicy();

    public SensorState State { get; private set; } = SensorState.Unknown;

    public List<SensorEvent> Events { get; } = [];

    public DateTimeOffset Now { get; private set; } = start ?? T0;

    public IEnumerable<StatusChanged> Transitions => Events.OfType<StatusChanged>();

    public HeartbeatDecision Beat(long? sequence = null, ReportedStatus status = ReportedStatus.Ok, DateTimeOffset? sentAt = null, string? requiredTag = null)
    {
        var (events, decision) = SensorLiveness.OnHeartbeat(State, new Heartbeat(Id, Now, sequence, sentAt, status), Policy, autoRegister, requiredTag);
        Record(events);
        return decision;
    }

    /// <summary>Moves the clock, firing the sensor's timer at each deadline on the way, as the actor's timer would.</summary>
    public void Advance(TimeSpan by) => AdvanceTo(Now + by);

    public void AdvanceTo(DateTimeOffset until)
    {
        while (SensorLiveness.NextDeadline(State, Policy) is { } deadline && deadline <= until)
        {
            Now = deadline > Now ? deadline : Now;
            Record(SensorLiveness.OnTimer(State, Now, Policy));
        }

        Now = until;
    }

    /// <summary>Moves the clock without firing timers, as when the owning node is down.</summary>
    public void Outage(TimeSpan by) => Now += by;

    /// <summary>What a node does after recovering the sensor: fire whatever fell due meanwhile.</summary>
    public void FireDue() => Record(SensorLiveness.OnTimer(State, Now, Policy));

    public void Register() => Record(SensorLiveness.Register(State, Now));

    public void Retire() => Record(SensorLiveness.Retire(State, Now));

    public void Reactivate() => Record(SensorLiveness.Reactivate(State, Now));

    public void Settings(SensorSettings settings) => Record(SensorLiveness.ChangeSettings(State, settings, Now, Policy));

    /// <summary>The state a restarted actor rebuilds from the journal.</summary>
    public SensorState Replayed() => Events.Aggregate(SensorState.Unknown, (s, e) => s.Apply(e));

    private void Record(IReadOnlyList<SensorEvent> events)
    {
        foreach (var e in events)
        {
            Events.Add(e);
            State = State.Apply(e);
        }
    }
}
