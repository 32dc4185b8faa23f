using Akka.Cluster.Sharding;

namespace FleetHealth.Wiring.Tests;

/// <summary>A message for one sensor's entity: the sharding region routes it by <paramref name="SensorId"/>.</summary>
public sealed record SensorEnvelope(string SensorId, object Message);

/// <summary>Routes <see cref="SensorEnvelope"/>s to entity <c>SensorId</c> in one of 100 shards and unwraps them.</summary>
public sealed class SensorMessageExtractor() : HashCodeMessageExtractor(NumberOfShards)
{
    public const int NumberOfShards = 100;

    public override string EntityId(object message) => message is SensorEnvelope e ? e.SensorId : null!;

    public override object EntityMessage(object message) => message is SensorEnvelope e ? e.Message : message;
}
