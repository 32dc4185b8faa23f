using FleetHealth.Database;
using FleetHealth.Fleet;
using FleetHealth.Server.IngestKeys;
using FleetHealth.Server.Membership;
using FleetHealth.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace FleetHealth.Server.Health;

/// <summary>
/// Liveness (<c>/healthz</c>: the process answers) and readiness (<c>/readyz</c>: database reachable,
/// schema current, ingest keys and tag settings loaded, member of the cluster). Both are anonymous,
/// for load balancers and orchestrators.
/// </summary>
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
        NpgsqlDataSource dataSource, Migrator migrator, DatabaseReadiness readiness, IngestKeyCache keys, FleetPolicy policy, IClusterMembership cluster, CancellationToken cancellationToken)
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

        // Until the ingest keys are loaded every heartbeat would get 503, liveness decisions wait for
        // the tag settings, and a node serves shards only once it has joined: not ready for a load
        // balancer either.
        var status = !readiness.IsMigrated || applied < migrator.LatestVersion ? "migrations pending"
            : !keys.IsLoaded ? "loading ingest keys"
            : !policy.IsLoaded ? "loading tag settings"
            : !cluster.HasJoined ? "joining the cluster"
            : "ready";
        var report = new HealthReport(status, applied, migrator.LatestVersion);
        return report.Status == "ready" ? TypedResults.Ok(report) : Unready(report);
    }

    private static JsonHttpResult<HealthReport> Unready(HealthReport report) =>
        TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
}

/// <summary>Body of the health endpoints.</summary>
public sealed record HealthReport(string Status, int? SchemaVersion, int? ExpectedSchemaVersion);
