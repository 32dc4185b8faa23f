using FleetHealth.Domain.Heartbeats;

namespace FleetHealth.Domain.Liveness;

/// <summary>How the state machine answered a heartbeat.</summary>
public enum HeartbeatDecision
{
    Accepted,
    Duplicate,
    UnknownSensor,

    /// <summary>The sender may only beat for sensors with a tag this sensor lacks: nothing is recorded.</summary>
    OutOfScope,
}

/// <summary>
/// The liveness rules as pure functions: (state, input, policy) → events. No clock, no I/O, no
/// actors: the sensor actor feeds in heartbeats, operator commands and its timers' deadlines, and
/// persists what comes out. All times are the server's receive or deadline times.
/// </summary>
/// <remarks>
/// Deadlines are inclusive: a sensor silent for exactly interval + grace is late. The stale and
/// dead thresholds never come before the late one (a sensor with a 1-hour interval is not stale
/// after 10 minutes); transitions due at the same instant collapse into the furthest one.
/// A missed beat is an expected beat whose slot passed by more than the grace. A sensor is late when
/// N of the last M expected beats were missed; once late (or stale, or dead) it is healthy again
/// only when at most N - 2 of the last M were missed: a sensor that returns from an outage, or
/// that misses every other beat, shows as late until it has beaten steadily.
/// </remarks>
public static class SensorLiveness
{
    private static readonly IReadOnlyList<SensorEvent> Nothing = [];

    /// <param name="state">The sensor now.</param>
    /// <param name="heartbeat">The heartbeat, as received.</param>
    /// <param name="policy">The fleet's rules.</param>
    /// <param name="autoRegister">Whether an unknown sensor registers on its first heartbeat.</param>
    /// <param name="requiredTag">
    /// The sender's key is limited to sensors with this tag (null: any). A known sensor without it
    /// is refused before anything else is decided (duplicates included); an unknown sensor that
    /// auto-registers through such a key gets the tag, so the key can keep beating for it.
    /// </param>
    public static (IReadOnlyList<SensorEvent> Events, HeartbeatDecision Decision) OnHeartbeat(
        SensorState state, Heartbeat heartbeat, LivenessPolicy policy, bool autoRegister, string? requiredTag = null)
    {
        if (!state.IsKnown && !autoRegister)
        {
            return (Nothing, HeartbeatDecision.UnknownSensor);
        }

        if (state.IsKnown && requiredTag is not null && !state.Settings.Tags.Contains(requiredTag, StringComparer.Ordinal))
        {
            return (Nothing, HeartbeatDecision.OutOfScope);
        }

        var verdict = state.Sequence.Classify(heartbeat.Sequence, out var lost);
        if (verdict == SequenceVerdict.Duplicate)
        {
            return (Nothing, HeartbeatDecision.Duplicate);
        }

        var at = heartbeat.ReceivedAt;
        var events = new List<SensorEvent>(4);
        if (!state.IsKnown)
        {
            events.Add(new SensorRegistered(at));
            if (requiredTag is not null)
            {
                events.Add(new SettingsChanged(at, SensorSettings.Inherit with { Tags = [requiredTag] }));
            }
        }

        var settings = policy.Resolve(state.Settings);
        var missed = MissedBefore(state, at, settings);
        events.Add(new HeartbeatRecorded(
            at, heartbeat.Sequence, heartbeat.SentAt, heartbeat.Status, heartbeat.Battery, heartbeat.Signal,
            heartbeat.Firmware, heartbeat.Metrics,
            SkewFlagged: heartbeat.SentAt > at + policy.MaxFutureSkew,
            MissedBefore: missed,
            LostBeats: lost,
            SequenceReset: verdict == SequenceVerdict.Reset));

        var current = state.IsKnown ? state.Status : LivenessStatus.Registered;
        if (current != LivenessStatus.Retired)
        {
            var misses = state.Misses.Record(missed).MissedOfLast(policy.LateWindow);
            // Hysteresis: late at N misses of the last M, healthy again only at N - 2 or fewer, so a
            // sensor that misses every other beat stays late instead of flipping on each beat.
            var lateLimit = current.SilenceRank() > 0 ? policy.LateMisses - 1 : policy.LateMisses;
            var (target, reason) = heartbeat.Status == ReportedStatus.Fault ? (LivenessStatus.Fault, "reported fault")
                : misses >= lateLimit ? (LivenessStatus.Late, $"missed {misses} of the last {policy.LateWindow} expected beats")
                : (LivenessStatus.Healthy, "heartbeat");
            if (target != current)
            {
                events.Add(new StatusChanged(at, current, target, reason));
            }
        }

        return (events, HeartbeatDecision.Accepted);
    }

    /// <summary>
    /// The transitions due at <paramref name="now"/> from silence, each timed at its own deadline
    /// (so a sensor whose node was down still gets its true late/stale/dead times).
    /// </summary>
    public static IReadOnlyList<SensorEvent> OnTimer(SensorState state, DateTimeOffset now, LivenessPolicy policy)
    {
        var deadlines = SilenceDeadlines(state, policy);
        List<SensorEvent>? events = null;
        var from = state.Status;
        for (var i = 0; i < deadlines.Length; i++)
        {
            var (at, to) = deadlines[i];
            var collapses = i + 1 < deadlines.Length && deadlines[i + 1].At == at;
            if (at > now || collapses || to.SilenceRank() <= from.SilenceRank())
            {
                continue;
            }

            events ??= [];
            events.Add(new StatusChanged(at, from, to, $"silent for {Describe(at - state.WatchFrom!.Value)}"));
            from = to;
        }

        return events ?? Nothing;
    }

    /// <summary>When the sensor's timer must next fire, or null when no silence rule applies to it.</summary>
    public static DateTimeOffset? NextDeadline(SensorState state, LivenessPolicy policy) =>
        NextDeadline(state.Status, state.WatchFrom, state.Settings, policy);

    /// <summary>
    /// As <see cref="NextDeadline(SensorState, LivenessPolicy)"/> from the parts of a state that decide
    /// it: the status, the time silence is measured from and the sensor's own settings (for a view
    /// of the sensor kept elsewhere, such as the read model).
    /// </summary>
    public static DateTimeOffset? NextDeadline(LivenessStatus status, DateTimeOffset? watchFrom, SensorSettings settings, LivenessPolicy policy)
    {
        foreach (var (at, to) in SilenceDeadlines(status, watchFrom, settings, policy))
        {
            if (to.SilenceRank() > status.SilenceRank())
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>Provisioning: makes a sensor known before it is heard from.</summary>
    public static IReadOnlyList<SensorEvent> Register(SensorState state, DateTimeOffset now) =>
        state.IsKnown ? Nothing : [new SensorRegistered(now)];

    public static IReadOnlyList<SensorEvent> ChangeSettings(SensorState state, SensorSettings settings, DateTimeOffset now, LivenessPolicy policy)
    {
        var changed = new SettingsChanged(now, settings with { Tags = [.. settings.Tags.Distinct().Order(StringComparer.Ordinal)] });
        return [changed, .. OnTimer(state.Apply(changed), now, policy)];
    }

    /// <summary>Ends the sensor's lifespan; idempotent.</summary>
    public static IReadOnlyList<SensorEvent> Retire(SensorState state, DateTimeOffset now) =>
        !state.IsKnown || state.Status == LivenessStatus.Retired
            ? Nothing
            : [new StatusChanged(now, state.Status, LivenessStatus.Retired, "retired by an operator")];

    /// <summary>Puts a retired sensor back under watch; its deadlines run from now. Idempotent.</summary>
    public static IReadOnlyList<SensorEvent> Reactivate(SensorState state, DateTimeOffset now) =>
        state.Status != LivenessStatus.Retired
            ? Nothing
            : [new SensorReactivated(now), new StatusChanged(now, LivenessStatus.Retired, state.LastSeen is null ? LivenessStatus.Registered : LivenessStatus.Healthy, "reactivated by an operator")];

    private static int MissedBefore(SensorState state, DateTimeOffset at, BeatSettings settings)
    {
        if (state.LastSeen is not { } last || at - last < settings.LateAfter || settings.Interval <= TimeSpan.Zero)
        {
            return 0;
        }

        return (int)Math.Min(MissWindow.MaxWindow, (at - last - settings.Grace).Ticks / settings.Interval.Ticks);
    }

    private static (DateTimeOffset At, LivenessStatus To)[] SilenceDeadlines(SensorState state, LivenessPolicy policy) =>
        SilenceDeadlines(state.Status, state.WatchFrom, state.Settings, policy);

    private static (DateTimeOffset At, LivenessStatus To)[] SilenceDeadlines(LivenessStatus status, DateTimeOffset? watchFrom, SensorSettings settings, LivenessPolicy policy)
    {
        if (watchFrom is not { } from || status is LivenessStatus.Registered or LivenessStatus.Retired)
        {
            return [];
        }

        var late = policy.Resolve(settings).LateAfter;
        var stale = Max(policy.StaleAfter, late);
        var dead = Max(policy.DeadAfter, stale);
        return [(from + late, LivenessStatus.Late), (from + stale, LivenessStatus.Stale), (from + dead, LivenessStatus.Dead)];
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Describe(TimeSpan span) => span.TotalSeconds < 120 ? $"{span.TotalSeconds:0}s"
        : span.TotalMinutes < 120 ? $"{span.TotalMinutes:0} min"
        : span.TotalHours < 48 ? $"{span.TotalHours:0} h" : $"{span.TotalDays:0} days";
}
