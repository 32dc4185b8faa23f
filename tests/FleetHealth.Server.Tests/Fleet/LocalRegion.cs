using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using FleetHealth.Server.Cluster;
using FleetHealth.Server.Fleet;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Tests.Fleet;

/// <summary>
/// The sensors' way in through a real <see cref="ShardRegion"/> of a node that holds the one shard,
/// without a database: for actor-level tests of what callers of the region see.
/// </summary>
internal static class LocalRegion
{
    public static SensorShards For(SensorFleet fleet, ActorSystem system)
    {
        // A lease that outlasts any test: the region's local path is what is under test here.
        var options = Options.Create(new ClusterOptions { Shards = 1, LeaseSeconds = 86_400, SafetyMarginSeconds = 1 });
        var leases = new ShardLeases(options, TimeProvider.System);
        leases.Grant(0, epoch: 1, leases.Now(), releasesAtSend: 0);
        leases.Open(0);
        var node = new ClusterNode("test-node", "test-secret", DateTimeOffset.UnixEpoch);
        var serializer = new ClusterMessageSerializer(SensorClusterMessages.Register(new EventSerializer()));
        var region = new ShardRegion(
            leases,
            new NoOtherNodes(),
            new SensorShardEntities(fleet, system, dataSource: null!),
            new ClusterTransport(node, serializer, options.Value),
            node,
            options,
            TimeProvider.System,
            NullLogger<ShardRegion>.Instance);
        return new SensorShards(region, fleet);
    }

    private sealed class NoOtherNodes : IShardDirectory
    {
        public bool CanReachDatabase => true;

        public string? LastError => null;

        public ShardHome? HomeOf(int shard) => null;

        public void RequestRound()
        {
        }
    }
}
