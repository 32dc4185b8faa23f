using FleetHealth.Fleet;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// Which shard an entity belongs to (Akka's ShardId, from its message extractor): the function of
/// <see cref="SensorShard.Of"/>, which the SQL function <c>fleethealth_shard_of</c> (migration
/// 0008) computes too, so a shard's sensors can be found in the database.
/// </summary>
public static class ShardId
{
    public static int Of(string entityId, int shards) => SensorShard.Of(entityId, shards);
}
