namespace FleetHealth.Domain.Liveness;

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

    /// <summary>The sensor's interval and grace: each from its own setting, else its first tag (ordinal order) that sets it, else the fleet.</summary>
    public BeatSettings Resolve(SensorSettings sensor) => Explain(sensor).Settings;

    /// <summary>As <see cref="Resolve"/>, and where each value came from.</summary>
    public ResolvedSettings Explain(SensorSettings sensor)
    {
        var interval = sensor.Interval is { } ownInterval ? (ownInterval, SettingSource.Sensor) : ((TimeSpan, SettingSource)?)null;
        var grace = sensor.Grace is { } ownGrace ? (ownGrace, SettingSource.Sensor) : ((TimeSpan, SettingSource)?)null;
        foreach (var tag in sensor.Tags)
        {
            if ((interval is null || grace is null) && Tags.TryGetValue(tag, out var byTag))
            {
                interval ??= byTag.Interval is { } i ? (i, SettingSource.FromTag(tag)) : null;
                grace ??= byTag.Grace is { } g ? (g, SettingSource.FromTag(tag)) : null;
            }
        }

        var (intervalValue, intervalSource) = interval ?? (DefaultInterval, SettingSource.Fleet);
        var (graceValue, graceSource) = grace ?? (DefaultGrace, SettingSource.Fleet);
        return new ResolvedSettings(new BeatSettings(intervalValue, graceValue), intervalSource, graceSource);
    }

    /// <summary>The same rules with <paramref name="tags"/> as the per-tag settings.</summary>
    public LivenessPolicy WithTags(IReadOnlyDictionary<string, TagSettings> tags) => this with { Tags = tags };
}

/// <summary>Where a resolved setting came from: the sensor's own setting, one of its tags, or the fleet default.</summary>
public readonly record struct SettingSource(SettingOrigin Origin, string? Tag)
{
    public static SettingSource Sensor { get; } = new(SettingOrigin.Sensor, null);

    public static SettingSource Fleet { get; } = new(SettingOrigin.Fleet, null);

    public static SettingSource FromTag(string tag) => new(SettingOrigin.Tag, tag);
}

public enum SettingOrigin
{
    Sensor,
    Tag,
    Fleet,
}

/// <summary>A sensor's effective interval and grace with the origin of each.</summary>
public readonly record struct ResolvedSettings(BeatSettings Settings, SettingSource IntervalSource, SettingSource GraceSource);
