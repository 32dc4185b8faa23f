using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Projection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Operations;

/// <summary><c>GET /api/v1/status</c>: how this node is doing (projection lag, resident sensors, journal batches).</summary>
public static class StatusApi
{
    public static RouteGroupBuilder MapStatusApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/status").WithTags("Operations");
        group.MapGet("/", Get);
        return group;
    }

    internal static Ok<NodeStatus> Get(ReadModelProjection projection, SensorFleet fleet, PostgresJournal journal) =>
        TypedResults.Ok(new NodeStatus(projection.Status, fleet.ResidentSensors, journal.Batches));
}

/// <summary>This node's operational figures.</summary>
/// <param name="Projection">Read-model projection progress and lag.</param>
/// <param name="ResidentSensors">Sensor actors in memory on this node.</param>
/// <param name="JournalBatches">Group-commit batches written since start.</param>
public sealed record NodeStatus(ProjectionStatus Projection, int ResidentSensors, long JournalBatches);
