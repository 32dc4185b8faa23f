using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Cluster;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Serial;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Operations;

/// <summary><c>GET /api/v1/status</c>: how this node is doing (projection lag, resident sensors, journal batches, its cluster).</summary>
public static class StatusApi
{
    public static RouteGroupBuilder MapStatusApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/status").WithTags("Operations").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/", Get);
        return group;
    }

    internal static Ok<NodeStatus> Get(ReadModelProjection projection, SensorFleet fleet, PostgresJournal journal, SerialPortRegistry serial, ClusterStatusReader cluster) =>
        TypedResults.Ok(new NodeStatus(projection.Status, fleet.ResidentSensors, journal.Batches, [.. serial.Ports.Select(p => p.Snapshot())], cluster.Read()));
}

/// <summary>This node's operational figures.</summary>
/// <param name="Projection">Read-model projection progress and lag.</param>
/// <param name="ResidentSensors">Sensor actors in memory on this node.</param>
/// <param name="JournalBatches">Group-commit batches written since start.</param>
/// <param name="SerialPorts">The serial ports this node reads, with their counters (as <c>/api/v1/serial/ports</c>).</param>
/// <param name="Cluster">Members, shards per node and recent rebalances (as <c>/api/v1/cluster</c>).</param>
public sealed record NodeStatus(ProjectionStatus Projection, int ResidentSensors, long JournalBatches, IReadOnlyList<SerialPortView> SerialPorts, ClusterStatus Cluster);
