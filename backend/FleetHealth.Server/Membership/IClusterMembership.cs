namespace FleetHealth.Server.Membership;

/// <summary>This node's view of the cluster it belongs to, for readiness, the API and the dashboard.</summary>
public interface IClusterMembership
{
    /// <summary>Whether this node has joined its cluster and may serve shards (a lone node joins itself).</summary>
    bool HasJoined { get; }

    /// <summary>Members, shards per node and what this node knows of recent changes.</summary>
    Task<ClusterStatus> ReadAsync(CancellationToken cancellationToken);
}
