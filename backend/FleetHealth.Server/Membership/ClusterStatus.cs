namespace FleetHealth.Server.Membership;

/// <summary>The cluster as this node sees it (<c>GET /api/v1/cluster</c>, and <c>cluster</c> in <c>GET /api/v1/status</c>).</summary>
/// <param name="NodeId">This node.</param>
/// <param name="Address">This node's internal address (what the others forward to).</param>
/// <param name="Shards">Shards of the cluster.</param>
/// <param name="ShardsHere">Shards whose lease this node holds now.</param>
/// <param name="Members">Every known member with its state (up, down, left) and the shards it holds.</param>
/// <param name="Events">Recent allocations, takeovers, handoffs, releases and membership changes, newest first (from the database).</param>
/// <param name="LocalEvents">What this node did to its shards lately, newest first (fences are only known here).</param>
/// <param name="Buffered">Messages waiting here now for a shard between owners.</param>
/// <param name="Forwarded">Messages forwarded to other nodes since start.</param>
/// <param name="Unavailable">Messages not delivered in time (answered 503) since start.</param>
/// <param name="RefusedWrites">Journal writes refused for want of a lease since start.</param>
/// <param name="HandoffsInProgress">Shards being handed over by this node now.</param>
/// <param name="LastRoundAt">When this node last renewed its membership and leases.</param>
/// <param name="LastError">Why the last round failed, when it did (this node cannot reach the database); on Akka, why the sharding statistics are missing.</param>
/// <param name="Engine">
/// <c>legacy</c> (the home-made cluster: every shard always has a lease, so <paramref name="Shards"/>
/// minus the live members' shards are between owners) or <c>akka</c> (Akka.Cluster.Sharding: a shard
/// exists once a sensor of it is used, so the members' shards add up to the shards in use, at most
/// <paramref name="Shards"/>; no events are kept).
/// </param>
public sealed record ClusterStatus(
    string NodeId,
    string? Address,
    int Shards,
    int ShardsHere,
    IReadOnlyList<ClusterMemberView> Members,
    IReadOnlyList<ClusterEventView> Events,
    IReadOnlyList<LocalShardEvent> LocalEvents,
    int Buffered,
    long Forwarded,
    long Unavailable,
    long RefusedWrites,
    int HandoffsInProgress,
    DateTimeOffset? LastRoundAt,
    string? LastError,
    string Engine = ClusterEngines.Legacy);

/// <summary>The values of <see cref="ClusterStatus.Engine"/>.</summary>
public static class ClusterEngines
{
    public const string Legacy = "legacy";
    public const string Akka = "akka";
}

/// <summary>
/// A member: on the home-made cluster <paramref name="State"/> is up (renewing), down (silent past the
/// down-after time) or left (stopped cleanly), with its start and last renewal; on Akka it is the
/// member's status (joining, weakly-up, up, leaving, exiting, down, removed) or unreachable (as this
/// node's failure detector sees it), <paramref name="NodeId"/> is its host:port, the times are null
/// and <paramref name="Roles"/> are its cluster roles.
/// </summary>
public sealed record ClusterMemberView(
    string NodeId,
    string Address,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastSeen,
    string State,
    int Shards,
    bool Self,
    IReadOnlyList<string>? Roles = null);

/// <summary>One cluster event: <paramref name="Kind"/> is allocated, taken-over, reclaimed, handed-off, released, member-joined, member-down or member-left.</summary>
public sealed record ClusterEventView(long Id, DateTimeOffset At, string Kind, string? From, string? To, IReadOnlyList<int> Shards);

/// <summary>Something this node did to its shards (shown in the status; fences cannot be logged in a database this node may not reach).</summary>
public sealed record LocalShardEvent(DateTimeOffset At, string Kind, IReadOnlyList<int> Shards, string? Peer);
