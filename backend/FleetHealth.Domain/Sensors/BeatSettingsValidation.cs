namespace FleetHealth.Domain.Sensors;

/// <summary>
/// The bounds of an interval and a grace set through the API, per sensor or per tag: one place, so
/// that both refuse the same values with the same words (each error keyed by its JSON field).
/// </summary>
public static class BeatSettingsValidation
{
    /// <summary>The longest interval or grace an operator may set: 30 days.</summary>
    public const double MaxSeconds = 30 * 86400;

    /// <summary>Adds an error for each out-of-range value; null values (inherit) are always valid.</summary>
    public static void Validate(double? intervalSeconds, double? graceSeconds, Dictionary<string, string[]> errors)
    {
        if (intervalSeconds is { } interval && !(interval is > 0 and <= MaxSeconds))
        {
            errors["intervalSeconds"] = [$"intervalSeconds must be above 0 and at most {MaxSeconds}."];
        }

        if (graceSeconds is { } grace && !(grace is >= 0 and <= MaxSeconds))
        {
            errors["graceSeconds"] = [$"graceSeconds must be from 0 to {MaxSeconds}."];
        }
    }

    public static TimeSpan? ToTimeSpan(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;
}
