namespace FleetHealth.Server.Liveness;

/// <summary>Interval and grace of one sensor, after per-sensor and per-tag settings were resolved.</summary>
public readonly record struct BeatSettings(TimeSpan Interval, TimeSpan Grace)
{
    /// <summary>Silence after which the expected beat counts as missed and the sensor is late.</summary>
    public TimeSpan LateAfter => Interval + Grace;
}

/// <summary>Interval and/or grace set for every sensor that carries a tag.</summary>
public sealed record TagSettings(TimeSpan? Interval, TimeSpan? Grace);

/// <summary>
/// The fleet-wide liveness rules. Pure data: the state machine reads it, nothing in it does I/O.
/// </summary>
public sealed record LivenessPolicy
{
    public TimeSpan DefaultInterval { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan DefaultGrace { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan DeadAfter { get; init; } = TimeSpan.FromDays(7);

    /// <summary>N of the flap-safe rule: late when N of the last <see cref="LateWindow"/> expected beats were missed.</summary>
    public int LateMisses { get; init; } = 3;

    /// <summary>M of the flap-safe rule (at most 32).</summary>
    public int LateWindow { get; init; } = 5;

    /// <summary>A sentAt further than this ahead of the server's clock is kept but flagged.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Per-tag defaults; a sensor's own setting wins, then its tags in ordinal order, then the fleet default.</summary>
    public IReadOnlyDictionary<string, TagSettings> Tags { get; init; } = new Dictionary<string, TagSettings>();

    public BeatSettings Resolve(SensorSettings sensor)
    {
        var interval = sensor.Interval;
        var grace = sensor.Grace;
        foreach (var tag in sensor.Tags)
        {
            if (Tags.TryGetValue(tag, out var byTag))
            {
                interval ??= byTag.Interval;
                grace ??= byTag.Grace;
            }
        }

        return new BeatSettings(interval ?? DefaultInterval, grace ?? DefaultGrace);
    }
}
