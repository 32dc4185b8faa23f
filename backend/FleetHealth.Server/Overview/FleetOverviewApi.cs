using System.Globalization;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Sensors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Overview;

/// <summary><c>/api/v1/fleet</c>: the fleet at a glance, over time and per tag (the fleet page's chart and tag overview).</summary>
public static class FleetOverviewApi
{
    public const int DefaultTagLimit = 50;
    public const int MaxTagLimit = 500;

    /// <summary>The windows the chart offers: name → (bucket length, bucket count).</summary>
    internal static readonly IReadOnlyDictionary<string, (TimeSpan Step, int Buckets)> Windows = new Dictionary<string, (TimeSpan, int)>(StringComparer.Ordinal)
    {
        ["24h"] = (TimeSpan.FromMinutes(15), 96),
        ["7d"] = (TimeSpan.FromHours(1), 168),
    };

    /// <summary>silent_share's default: the overview's share silent means the same as the fleet tile's.</summary>
    internal static readonly TimeSpan SilentAfter = TimeSpan.FromMinutes(10);

    public static RouteGroupBuilder MapFleetOverviewApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/fleet").WithTags("Fleet").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/states-over-time", StatesOverTimeAsync);
        group.MapGet("/tags", TagsAsync);
        return group;
    }

    internal static async Task<Results<Ok<StatesOverTime>, ValidationProblem>> StatesOverTimeAsync(
        StateTimelineQuery query, TimeProvider clock, CancellationToken cancellationToken, string? window = null, string? until = null)
    {
        var errors = new Dictionary<string, string[]>();
        var name = window ?? "24h";
        if (!Windows.TryGetValue(name, out var shape))
        {
            errors["window"] = [$"window must be one of {string.Join(", ", Windows.Keys)}."];
        }

        // The fleet's clock stamps the transitions, so it is "now" here too.
        var now = clock.GetUtcNow();
        DateTimeOffset end = now;
        if (until is not null)
        {
            if (!DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out end) || end.Year is < 2000 || end > now)
            {
                errors["until"] = ["until must be an ISO 8601 time from 2000 to now, e.g. 2026-01-31T12:00:00Z."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad chart parameters");
        }

        var buckets = await query.CountsAsync(end, shape.Step, shape.Buckets, cancellationToken);
        return TypedResults.Ok(new StatesOverTime(name, shape.Step.TotalSeconds, end, SensorFilter.States, buckets));
    }

    internal static async Task<Results<Ok<TagOverviewPage>, ValidationProblem>> TagsAsync(
        TagOverviewQuery query, TimeProvider clock, CancellationToken cancellationToken, string? limit = null, string? offset = null)
    {
        var errors = new Dictionary<string, string[]>();
        var take = Whole(limit, "limit", DefaultTagLimit, 1, MaxTagLimit, errors);
        var skip = Whole(offset, "offset", 0, 0, 1_000_000, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad paging parameters");
        }

        return TypedResults.Ok(await query.PageAsync(clock.GetUtcNow(), SilentAfter, take, skip, cancellationToken));
    }

    private static int Whole(string? text, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"{name} must be a whole number from {min} to {max}."];
        return fallback;
    }
}
