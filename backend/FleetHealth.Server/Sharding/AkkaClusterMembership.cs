using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using FleetHealth.Server.Membership;
using Microsoft.Extensions.Options;
using AkkaCluster = Akka.Cluster.Cluster;

namespace FleetHealth.Server.Sharding;

/// <summary>
/// The cluster as Akka sees it from this node: members with their status from the cluster's gossip
/// state, shards per member from the sharding coordinator's statistics.
/// </summary>
internal sealed class AkkaClusterMembership(ActorSystem system, IRequiredActor<SensorRegion> region, ShardedSensorFleet fleet, IOptions<FleetEngineOptions> options)
    : IClusterMembership
{
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(3);

    public bool HasJoined => AkkaCluster.Get(system).SelfMember.Status == MemberStatus.Up;

    public async Task<ClusterStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var cluster = AkkaCluster.Get(system);
        var state = cluster.State;
        IReadOnlyDictionary<Address, ShardRegionStats> regions;
        string? error = null;
        try
        {
            var stats = await region.ActorRef.Ask<ClusterShardingStats>(new GetClusterShardingStats(StatsTimeout), StatsTimeout + StatsTimeout, cancellationToken);
            regions = stats.Regions;
        }
        catch (AskTimeoutException)
        {
            regions = new Dictionary<Address, ShardRegionStats>();
            error = "The sharding coordinator did not answer (no cluster leader yet, or it is moving).";
        }

        var members = state.Members
            .Select(m => new ClusterMemberView(
                NodeIdOf(m.Address),
                m.Address.ToString(),
                state.Unreachable.Contains(m) ? "unreachable" : StateOf(m.Status),
                regions.TryGetValue(m.Address, out var held) ? held.Stats.Count : 0,
                m.Address == cluster.SelfAddress,
                [.. m.Roles.Order(StringComparer.Ordinal)]))
            .ToList();
        var here = regions.TryGetValue(cluster.SelfAddress, out var mine) ? mine.Stats.Count : 0;
        return new ClusterStatus(
            NodeIdOf(cluster.SelfAddress),
            cluster.SelfAddress.ToString(),
            options.Value.Shards,
            here,
            members,
            fleet.Unavailable,
            error);
    }

    /// <summary>host:port, the part of an address that tells nodes apart (protocol and system are the same for all).</summary>
    private static string NodeIdOf(Address address) => $"{address.Host}:{address.Port}";

    private static string StateOf(MemberStatus status) => status switch
    {
        MemberStatus.WeaklyUp => "weakly-up",
        _ => status.ToString().ToLowerInvariant(),
    };
}
