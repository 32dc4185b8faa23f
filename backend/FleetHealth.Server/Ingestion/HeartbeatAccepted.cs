namespace FleetHealth.Server.Ingestion;

/// <summary>The 202 answer: the heartbeat is durable.</summary>
public sealed record HeartbeatAccepted(string SensorId, DateTimeOffset ReceivedAt, bool Duplicate);
