using FleetHealth.Database;
using FleetHealth.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace FleetHealth.Server.Health;

/// <summary>Liveness (<c>/healthz</c>: the process answers) and readiness (<c>/readyz</c>: database reachable, schema current).</summary>
public static class HealthApi
{
    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").WithTags("Health").AllowAnonymous();
        group.MapGet("/healthz", Live);
        group.MapGet("/readyz", ReadyAsync);
        return group;
    }

    internal static Ok<HealthReport> Live() => TypedResults.Ok(new HealthReport("up", null, null));

    internal static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> ReadyAsync(
        NpgsqlDataSource dataSource, Migrator migrator, DatabaseReadiness readiness, CancellationToken cancellationToken)
    {
        int applied;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            applied = await Migrator.AppliedVersionAsync(dataSource, timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return Unready(new HealthReport("database unreachable", null, migrator.LatestVersion));
        }

        var report = new HealthReport(readiness.IsMigrated && applied >= migrator.LatestVersion ? "ready" : "migrations pending", applied, migrator.LatestVersion);
        return report.Status == "ready" ? TypedResults.Ok(report) : Unready(report);
    }

    private static JsonHttpResult<HealthReport> Unready(HealthReport report) =>
        TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
}

/// <summary>Body of the health endpoints.</summary>
public sealed record HealthReport(string Status, int? SchemaVersion, int? ExpectedSchemaVersion);
