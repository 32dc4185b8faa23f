namespace FleetHealth.Fleet;

/// <summary>
/// A message for one sensor's actor, wherever in the cluster it lives: the sharding region routes it
/// by <paramref name="SensorId"/> (already validated) and hands the actor <paramref name="Message"/>.
/// </summary>
public sealed record SensorEnvelope(string SensorId, object Message);
