using FleetHealth.Domain.Liveness;

namespace FleetHealth.Server.Projection;

/// <summary>
/// One row of the read model's <c>sensors</c> table, and how an event changes it. Pure: the
/// projection loads the rows a batch touches, folds the batch's events into them, writes them back.
/// </summary>
public sealed record SensorRow(string SensorId)
{
    public string Status { get; init; } = "registered";

    public DateTimeOffset? StatusSince { get; init; }

    public DateTimeOffset? RegisteredAt { get; init; }

    public BeatHistory History { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];


    public double? IntervalSeconds { get; init; }

    public double? GraceSeconds { get; init; }

    public DateTimeOffset? RetiredAt { get; init; }

    /// <summary>The row of a sensor whose events up to a snapshot folded into <paramref name="state"/> (the same fields, counted the same way).</summary>
    public static SensorRow FromState(string sensorId, SensorState state) => new(sensorId)
    {
        Status = Name(state.Status),
        StatusSince = state.StatusSince,
        RegisteredAt = state.RegisteredAt,
        History = state.History,
        Tags = state.Settings.Tags,
        IntervalSeconds = state.Settings.Interval?.TotalSeconds,
        GraceSeconds = state.Settings.Grace?.TotalSeconds,
        RetiredAt = state.RetiredAt,
    };

    /// <summary>The row after <paramref name="e"/>; for a heartbeat also the seconds since the previous one (null for the first).</summary>
    public (SensorRow Row, double? IntervalSeconds) Apply(SensorEvent e) => e switch
    {
        SensorRegistered r => (this with { RegisteredAt = RegisteredAt ?? r.At, StatusSince = StatusSince ?? r.At }, null),
        HeartbeatRecorded h => ApplyHeartbeat(h),
        StatusChanged s => (this with
        {
            Status = Name(s.To),
            StatusSince = s.At,
            RetiredAt = s.To == LivenessStatus.Retired ? s.At : s.From == LivenessStatus.Retired ? null : RetiredAt,
        }, null),
        SettingsChanged s => (this with { Tags = s.Settings.Tags, IntervalSeconds = s.Settings.Interval?.TotalSeconds, GraceSeconds = s.Settings.Grace?.TotalSeconds }, null),
        SensorReactivated => (this, null),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown sensor event."),
    };

    /// <summary>The status a row's <see cref="Status"/> names (the inverse of <see cref="Name"/>).</summary>
    public static LivenessStatus StatusOf(string name) => name switch
    {
        "registered" => LivenessStatus.Registered,
        "healthy" => LivenessStatus.Healthy,
        "fault" => LivenessStatus.Fault,
        "late" => LivenessStatus.Late,
        "stale" => LivenessStatus.Stale,
        "dead" => LivenessStatus.Dead,
        "retired" => LivenessStatus.Retired,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown sensor status."),
    };

    public static string Name(LivenessStatus status) => status switch
    {
        LivenessStatus.Registered => "registered",
        LivenessStatus.Healthy => "healthy",
        LivenessStatus.Fault => "fault",
        LivenessStatus.Late => "late",
        LivenessStatus.Stale => "stale",
        LivenessStatus.Dead => "dead",
        LivenessStatus.Retired => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    private (SensorRow, double?) ApplyHeartbeat(HeartbeatRecorded h)
    {
        var (history, interval) = History.Record(h);
        return (this with { History = history }, interval);
    }
}
