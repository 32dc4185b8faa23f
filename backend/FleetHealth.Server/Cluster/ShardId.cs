using FleetHealth.Fleet;

namespace FleetHealth.Server.Cluster;

/// <summary>Which shard an entity belongs to: <see cref="SensorShard.Of"/>, as on Akka's sharding.</summary>
public static class ShardId
{
    public static int Of(string entityId, int shards) => SensorShard.Of(entityId, shards);
}
