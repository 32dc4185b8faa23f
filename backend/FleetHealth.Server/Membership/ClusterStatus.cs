namespace FleetHealth.Server.Membership;

/// <summary>The Akka.NET cluster as this node sees it (<c>GET /api/v1/cluster</c>, and <c>cluster</c> in <c>GET /api/v1/status</c>).</summary>
/// <param name="NodeId">This node (host:port of its Akka.Remote address).</param>
/// <param name="Address">This node's Akka address (<c>akka.tcp://fleethealth@host:port</c>).</param>
/// <param name="Shards">The cluster's number of shards (<c>Fleet:Shards</c>).</param>
/// <param name="ShardsHere">Shards this node hosts now.</param>
/// <param name="Members">Every member the cluster's gossip knows, with its status and the shards it hosts.</param>
/// <param name="Unavailable">Requests to sensors answered 503 by this node since it started (no answer in time).</param>
/// <param name="LastError">Why the sharding statistics are missing, when they are (the region did not answer in time).</param>
/// <remarks>
/// A shard exists once a sensor of it is used, so the members' shards add up to the shards in use,
/// at most <paramref name="Shards"/>.
/// </remarks>
public sealed record ClusterStatus(
    string NodeId,
    string Address,
    int Shards,
    int ShardsHere,
    IReadOnlyList<ClusterMemberView> Members,
    long Unavailable,
    string? LastError);

/// <summary>
/// A member: <paramref name="State"/> is its status (joining, weakly-up, up, leaving, exiting, down,
/// removed) or unreachable (as this node's failure detector sees it); <paramref name="NodeId"/> is
/// its host:port, <paramref name="Roles"/> its cluster roles.
/// </summary>
public sealed record ClusterMemberView(
    string NodeId,
    string Address,
    string State,
    int Shards,
    bool Self,
    IReadOnlyList<string> Roles);
