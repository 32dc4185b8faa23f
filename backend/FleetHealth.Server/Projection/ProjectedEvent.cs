using FleetHealth.Domain.Liveness;

namespace FleetHealth.Server.Projection;

/// <summary>An event of a sensor's journal stream with its global ordering and its sequence number in the stream (0: unknown).</summary>
public sealed record ProjectedEvent(long Ordering, string SensorId, SensorEvent Event, long SequenceNr = 0);
