namespace FleetHealth.Domain.Notifications;

/// <summary>
/// A sensor in an alert group: its state (<see cref="Status"/>, a transition kind) since when, what
/// was last sent for it (null: never sent), and whether it changed since that.
/// </summary>
public sealed record AlertMember(string SensorId, string Status, DateTimeOffset Since, string? SentStatus, bool Changed)
{
    public bool Firing => TransitionKinds.IsFiring(Status);
}

/// <summary>
/// How one transition changes a group's member (Alertmanager's grouping, per rule): pure, so the
/// grouper's decisions are tested without a database or a clock.
/// </summary>
public static class AlertMembership
{
    /// <summary>
    /// The member after a transition of <paramref name="kind"/> at <paramref name="at"/> (from
    /// <paramref name="fromKind"/>, the kind of the status left, or null), for a rule asking for
    /// <paramref name="ruleKinds"/>; null when the sensor is not (or no longer) a member.
    /// </summary>
    /// <remarks>
    /// A listed firing kind makes (or updates) a firing member. Recovery or retirement ends a
    /// member: one never sent is dropped (it recovered inside the group wait: it cancels its own
    /// alert), one sent is kept as resolved for the next message when the rule lists that kind,
    /// else dropped quietly. A recovery or retirement of a sensor that was not a member is told on
    /// its own only when the rule lists it and not the state left (a rule of recoveries alone).
    /// Firing kinds the rule does not list leave a member as it is (stale to dead under a rule of
    /// stale: still broken, nothing new to say).
    /// </remarks>
    public static AlertMember? Apply(AlertMember? member, string sensorId, string kind, string? fromKind, DateTimeOffset at, IReadOnlyCollection<string> ruleKinds)
    {
        var listed = ruleKinds.Contains(kind);
        if (TransitionKinds.IsFiring(kind))
        {
            return !listed ? member
                : member is null ? new AlertMember(sensorId, kind, at, null, true)
                : member with { Status = kind, Since = at, Changed = member.Changed || member.SentStatus != kind };
        }

        if (member is null)
        {
            return listed && (fromKind is null || !ruleKinds.Contains(fromKind)) ? new AlertMember(sensorId, kind, at, null, true) : null;
        }

        if (member.SentStatus is null || !listed)
        {
            return null;
        }

        return member with { Status = kind, Since = at, Changed = true };
    }

    /// <summary>When a group that changed at <paramref name="now"/> is next sent (Alertmanager's group wait, then group interval).</summary>
    public static DateTimeOffset NextFlushAfterChange(DateTimeOffset scheduled, DateTimeOffset? lastSent, DateTimeOffset now, TimeSpan groupInterval)
    {
        if (lastSent is not { } sent)
        {
            return scheduled; // still in its group wait
        }

        var earliest = sent + groupInterval;
        var next = earliest > now ? earliest : now;
        return next < scheduled ? next : scheduled;
    }
}
