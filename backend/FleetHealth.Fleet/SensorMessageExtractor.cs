using Akka.Cluster.Sharding;

namespace FleetHealth.Fleet;

/// <summary>
/// How the sharding region routes <see cref="SensorEnvelope"/>s: entity id = sensor id, shard id =
/// <see cref="SensorShard.Of"/> as decimal text (not Akka's default hash, so SQL can compute it).
/// Every node of a cluster must use the same <see cref="Shards"/>.
/// </summary>
public sealed class SensorMessageExtractor : IMessageExtractor
{
    private readonly string[] _shardIds;

    public SensorMessageExtractor(int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        Shards = shards;
        _shardIds = SensorShard.Ids(shards);
    }

    public int Shards { get; }

    public string? EntityId(object message) => (message as SensorEnvelope)?.SensorId;

    public object? EntityMessage(object message) => message is SensorEnvelope envelope ? envelope.Message : message;

    /// <remarks>Akka routes its own messages (StartEntity, ShardingEnvelope) through <see cref="ShardId(string, object?)"/>.</remarks>
    public string ShardId(object message) => message is SensorEnvelope envelope
        ? ShardOf(envelope.SensorId)
        : throw new ArgumentException($"Not a sensor message: {message.GetType()}.", nameof(message));

    public string ShardId(string entityId, object? messageHint = null) => ShardOf(entityId);

    private string ShardOf(string sensorId) => _shardIds[SensorShard.Of(sensorId, Shards)];
}
