using FleetHealth.Server.Liveness;

namespace FleetHealth.Server.Projection;

/// <summary>An event of a sensor's journal stream with its global ordering.</summary>
public sealed record ProjectedEvent(long Ordering, string SensorId, SensorEvent Event);
