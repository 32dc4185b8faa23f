using FleetHealth.Domain.Liveness;

namespace FleetHealth.Server.Sensors;

/// <summary>A sensor as the API shows it (from the read model).</summary>
/// <param name="SensorId">Its id.</param>
/// <param name="Status">registered, healthy, fault, late, stale, dead or retired.</param>
/// <param name="StatusSince">When it entered that status.</param>
/// <param name="RegisteredAt">When it became known.</param>
/// <param name="FirstSeen">Its first heartbeat (server time); null if never heard from.</param>
/// <param name="LastSeen">Its latest heartbeat (server time).</param>
/// <param name="HeartbeatCount">Heartbeats accepted (duplicates counted once).</param>
/// <param name="Tags">Its tags, in ordinal order.</param>
/// <param name="GraceSeconds">The sensor's own grace setting; null when it inherits.</param>
/// <param name="RetiredAt">When an operator retired it; null while in service.</param>
/// <param name="IntervalSeconds">The sensor's own interval setting; null when it inherits from its tags or the fleet.</param>
/// <param name="MeanIntervalSeconds">Running mean of the intervals between its heartbeats.</param>
/// <param name="IntervalStdDevSeconds">Running standard deviation of those intervals.</param>
/// <param name="LostBeats">Beats missing from its sequence numbers.</param>
/// <param name="Effective">The interval and grace it is held to now, and where each came from.</param>
public sealed record SensorView(
    string SensorId,
    string Status,
    DateTimeOffset? StatusSince,
    DateTimeOffset? RegisteredAt,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    long HeartbeatCount,
    IReadOnlyList<string> Tags,
    double? IntervalSeconds,
    double? GraceSeconds,
    double MeanIntervalSeconds,
    double IntervalStdDevSeconds,
    long LostBeats,
    DateTimeOffset? RetiredAt,
    EffectiveSettings Effective);

/// <summary>The interval and grace a sensor is held to, after its own, its tags' and the fleet's settings were resolved.</summary>
public sealed record EffectiveSettings(double IntervalSeconds, SettingFrom IntervalFrom, double GraceSeconds, SettingFrom GraceFrom)
{
    public static EffectiveSettings Of(SensorSettings settings, LivenessPolicy policy)
    {
        var resolved = policy.Explain(settings);
        return new EffectiveSettings(
            resolved.Settings.Interval.TotalSeconds, SettingFrom.Of(resolved.IntervalSource),
            resolved.Settings.Grace.TotalSeconds, SettingFrom.Of(resolved.GraceSource));
    }
}

/// <summary>Where a setting came from: <c>kind</c> is sensor, tag (with <c>tag</c> naming it) or fleet.</summary>
public sealed record SettingFrom(string Kind, string? Tag)
{
    public static SettingFrom Of(SettingSource source) => source.Origin switch
    {
        SettingOrigin.Sensor => new("sensor", null),
        SettingOrigin.Tag => new("tag", source.Tag),
        _ => new("fleet", null),
    };
}

/// <summary>One page of sensors in id order; <see cref="Next"/> is the cursor for the page after, null on the last.</summary>
public sealed record SensorPage(IReadOnlyList<SensorView> Items, string? Next);

/// <summary>Filters of <c>GET /api/v1/sensors</c>; null means "any".</summary>
public sealed record SensorFilter(string? State, string? Tag, string? Text)
{
    public static readonly string[] States = ["registered", "healthy", "fault", "late", "stale", "dead", "retired"];

    public const int MaxTextLength = 128;
}
