namespace FleetHealth.Domain.Liveness;

/// <summary>What an operator set on one sensor; null means "inherit from its tags or the fleet".</summary>
public sealed record SensorSettings(TimeSpan? Interval, TimeSpan? Grace, IReadOnlyList<string> Tags)
{
    public static SensorSettings Inherit { get; } = new(null, null, []);
}
