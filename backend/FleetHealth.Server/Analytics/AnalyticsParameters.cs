using System.Globalization;

namespace FleetHealth.Server.Analytics;

/// <summary>
/// The parameters the named queries read (as <c>fleethealth.*</c> settings); null means the
/// query's own default. Validated here so that only well-formed values reach PostgreSQL.
/// </summary>
public sealed record AnalyticsParameters(
    TimeSpan? SilentAfter = null,
    DateTimeOffset? AsOf = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    int? Limit = null,
    double? HorizonDays = null)
{
    public const double MaxHorizonDays = 36_500;

    public const int MaxLimit = 10_000;

    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(400);

    /// <summary>silent_share's own default for silentAfter (db/queries/silent_share.sql).</summary>
    public static readonly TimeSpan DefaultSilentAfter = TimeSpan.FromMinutes(10);

    /// <summary>Reads query-string values; errors are keyed by parameter name.</summary>
    public static AnalyticsParameters? Parse(
        string? silentAfterSeconds, string? asOf, string? since, string? until, string? limit, out Dictionary<string, string[]> errors,
        string? horizonDays = null)
    {
        errors = [];
        var parsed = new AnalyticsParameters(
            SilentAfter: ParseSeconds(silentAfterSeconds, "silentAfterSeconds", errors),
            AsOf: ParseTime(asOf, "asOf", errors),
            Since: ParseTime(since, "since", errors),
            Until: ParseTime(until, "until", errors),
            Limit: ParseLimit(limit, errors),
            HorizonDays: ParseHorizon(horizonDays, errors));
        if (parsed.Since is { } from && parsed.Until is { } to)
        {
            if (to <= from)
            {
                errors["until"] = ["until must be after since."];
            }
            else if (to - from > MaxWindow)
            {
                errors["since"] = [$"A window spans at most {MaxWindow.TotalDays} days."];
            }
        }

        return errors.Count == 0 ? parsed : null;
    }

    /// <summary>
    /// Whether the answer can be computed from stored history: asOf (default now) from the oldest
    /// retained heartbeat (<paramref name="keptFrom"/>, plus silentAfter, which silent_share looks
    /// back over) to <paramref name="now"/>, and a window that ends no later than asOf.
    /// </summary>
    public bool FitsHistory(DateTimeOffset keptFrom, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var oldest = keptFrom + (SilentAfter ?? DefaultSilentAfter);
        if (AsOf is { } asOf && (asOf < oldest || asOf > now))
        {
            errors["asOf"] = [$"asOf must be from {Iso(oldest)} (the oldest moment the retained history answers for) to {Iso(now)} (now)."];
        }

        var end = AsOf ?? now;
        if (Until is { } until && until > end)
        {
            errors["until"] = [$"until must not be after asOf ({Iso(end)}): the answer is as of that moment."];
        }

        return errors.Count == 0;
    }

    /// <summary>The settings to apply, as (name, PostgreSQL literal) pairs.</summary>
    public IEnumerable<(string Name, string Value)> Settings()
    {
        if (SilentAfter is { } silent)
        {
            yield return ("fleethealth.silent_after", $"{silent.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds");
        }

        if (AsOf is { } asOf)
        {
            yield return ("fleethealth.as_of", asOf.ToString("O", CultureInfo.InvariantCulture));
        }

        if (Since is { } since)
        {
            yield return ("fleethealth.since", since.ToString("O", CultureInfo.InvariantCulture));
        }

        if (Until is { } until)
        {
            yield return ("fleethealth.until", until.ToString("O", CultureInfo.InvariantCulture));
        }

        if (Limit is { } limit)
        {
            yield return ("fleethealth.limit", limit.ToString(CultureInfo.InvariantCulture));
        }

        if (HorizonDays is { } horizon)
        {
            yield return ("fleethealth.horizon_days", horizon.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static TimeSpan? ParseSeconds(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 400 * 86400)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        errors[name] = [$"{name} must be a number of seconds from 0 (exclusive) to 400 days."];
        return null;
    }

    private static DateTimeOffset? ParseTime(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            && time.Year is >= 2000 and <= 2200)
        {
            return time;
        }

        errors[name] = [$"{name} must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z."];
        return null;
    }

    private static double? ParseHorizon(string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var days) && days is > 0 and <= MaxHorizonDays)
        {
            return days;
        }

        errors["horizonDays"] = [$"horizonDays must be a number of days from 0 (exclusive) to {MaxHorizonDays}."];
        return null;
    }

    private static int? ParseLimit(string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit)
        {
            return limit;
        }

        errors["limit"] = [$"limit must be from 1 to {MaxLimit}."];
        return null;
    }
}
