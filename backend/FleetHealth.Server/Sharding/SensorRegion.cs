namespace FleetHealth.Server.Sharding;

/// <summary>The key under which Akka.Hosting registers the sensors' shard region (<c>IRequiredActor&lt;SensorRegion&gt;</c>).</summary>
public sealed class SensorRegion;
