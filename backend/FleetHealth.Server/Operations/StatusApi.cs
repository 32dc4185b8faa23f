using FleetHealth.Server.Auth;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Membership;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Serial;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Operations;

/// <summary><c>GET /api/v1/status</c>: how this node is doing (projection lag, resident sensors, serial ports, its cluster).</summary>
public static class StatusApi
{
    public static RouteGroupBuilder MapStatusApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/status").WithTags("Operations").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/", GetAsync);
        return group;
    }

    internal static async Task<Ok<NodeStatus>> GetAsync(
        ReadModelProjection projection, ISensorFleet fleet, SerialPortRegistry serial, IClusterMembership cluster, CancellationToken cancellationToken) =>
        TypedResults.Ok(new NodeStatus(
            projection.Status,
            await fleet.ResidentSensorsAsync(cancellationToken),
            [.. serial.Ports.Select(p => p.Snapshot())],
            await cluster.ReadAsync(cancellationToken)));
}

/// <summary>This node's operational figures.</summary>
/// <param name="Projection">Read-model projection progress and lag.</param>
/// <param name="ResidentSensors">Sensor actors in memory on this node.</param>
/// <param name="SerialPorts">The serial ports this node reads, with their counters (as <c>/api/v1/serial/ports</c>).</param>
/// <param name="Cluster">Members, shards per node and recent rebalances (as <c>/api/v1/cluster</c>).</param>
public sealed record NodeStatus(ProjectionStatus Projection, int ResidentSensors, IReadOnlyList<SerialPortView> SerialPorts, ClusterStatus Cluster);
