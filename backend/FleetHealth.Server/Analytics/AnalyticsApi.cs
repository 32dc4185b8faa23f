using System.Text.Json.Nodes;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.ReadModel;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Analytics;

/// <summary>The named analytics queries of db/queries over HTTP.</summary>
public static class AnalyticsApi
{
    public static RouteGroupBuilder MapAnalyticsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/analytics").WithTags("Analytics").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/", List);
        group.MapGet("/{name}", RunAsync);
        return group;
    }

    internal static Ok<AnalyticsCatalog> List() =>
        TypedResults.Ok(new AnalyticsCatalog([.. AnalyticsQueries.Names.Order(StringComparer.Ordinal).Select(n => new AnalyticsQueryInfo(n, AnalyticsQueries.Describe(n)))]));

    internal static async Task<Results<Ok<AnalyticsResult>, CsvDownload, ProblemHttpResult, ValidationProblem>> RunAsync(
        string name,
        AnalyticsQueries queries,
        TimeProvider clock,
        HeartbeatRetention retention,
        CancellationToken cancellationToken,
        string? silentAfterSeconds = null,
        string? asOf = null,
        string? since = null,
        string? until = null,
        string? limit = null,
        string? horizonDays = null,
        string? format = null)
    {
        if (format is not (null or "json" or "csv"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format must be json or csv."] }, title: "Bad analytics parameters");
        }

        var parameters = AnalyticsParameters.Parse(silentAfterSeconds, asOf, since, until, limit, out var errors, horizonDays);
        if (parameters is null)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad analytics parameters");
        }

        // "Now" is the fleet's clock (the one heartbeats and transitions are stamped with), not the database's.
        var now = clock.GetUtcNow();
        if (!parameters.FitsHistory(retention.KeptFrom(), now, out errors))
        {
            return TypedResults.ValidationProblem(errors, title: "Bad analytics parameters");
        }

        var at = parameters with { AsOf = parameters.AsOf ?? now };
        if (format == "csv" && AnalyticsQueries.Exists(name))
        {
            return new CsvDownload($"{name}.csv", (consume, ct) => queries.ReadAsync(name, at, consume, ct));
        }

        var rows = await queries.RunAsync(name, at, cancellationToken);
        return rows is null
            ? TypedResults.Problem($"No analytics query '{name}'. GET /api/v1/analytics lists them.", statusCode: StatusCodes.Status404NotFound, title: "Unknown query")
            : TypedResults.Ok(new AnalyticsResult(name, rows));
    }
}

public sealed record AnalyticsQueryInfo(string Name, string Description);

public sealed record AnalyticsCatalog(IReadOnlyList<AnalyticsQueryInfo> Queries);

public sealed record AnalyticsResult(string Name, JsonArray Rows);
