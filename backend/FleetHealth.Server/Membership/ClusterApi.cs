using FleetHealth.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Membership;

/// <summary><c>GET /api/v1/cluster</c>: members, shards per node, recent rebalances, as this node sees them.</summary>
public static class ClusterApi
{
    public static RouteGroupBuilder MapClusterApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/cluster").WithTags("Operations").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/", GetAsync);
        return group;
    }

    internal static async Task<Ok<ClusterStatus>> GetAsync(IClusterMembership cluster, CancellationToken cancellationToken) =>
        TypedResults.Ok(await cluster.ReadAsync(cancellationToken));
}
