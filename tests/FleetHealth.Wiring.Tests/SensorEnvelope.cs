using Akka.Cluster.Sharding;
using FleetHealth.Fleet;

namespace FleetHealth.Wiring.Tests;

/// <summary>A message for one sensor's entity: the sharding region routes it by <paramref name="SensorId"/>.</summary>
public sealed record SensorEnvelope(string SensorId, object Message);

/// <summary>
/// Routes <see cref="SensorEnvelope"/>s to entity <c>SensorId</c> in one of 100 shards and unwraps
/// them. The shard is <see cref="SensorShard.Of"/> (SQL: <c>fleethealth_shard_of</c>), not Akka's
/// MurmurHash, so the journal fence (migration 0016) finds the lease a sensor's events belong to.
/// </summary>
public sealed class SensorMessageExtractor() : HashCodeMessageExtractor(NumberOfShards)
{
    public const int NumberOfShards = 100;

    private static readonly string[] ShardIds = SensorShard.Ids(NumberOfShards);

    public override string EntityId(object message) => message is SensorEnvelope e ? e.SensorId : null!;

    public override object EntityMessage(object message) => message is SensorEnvelope e ? e.Message : message;

    public override string ShardId(string entityId, object? messageHint = null) => ShardIds[SensorShard.Of(entityId, NumberOfShards)];

    // Sharding calls the overload above; this one must not fall back to the base's MurmurHash either.
    [Obsolete("Use ShardId(string, object?) instead. Since v1.5.15")]
    public override string? ShardId(object message) => EntityId(message) is { Length: > 0 } id ? ShardId(id, message) : null;
}
