using FleetHealth.Domain.Sensors;

namespace FleetHealth.Domain.Heartbeats;

/// <summary>What a sensor reports about itself in a heartbeat.</summary>
public enum ReportedStatus
{
    Ok,
    Fault,
}

/// <summary>
/// One heartbeat as the server received it, from any channel (HTTP, serial). Liveness uses
/// <see cref="ReceivedAt"/> (the server's clock); the sensor's own <see cref="SentAt"/> and
/// <see cref="Sequence"/> are kept for skew and loss analysis only.
/// </summary>
public sealed record Heartbeat(
    SensorId SensorId,
    DateTimeOffset ReceivedAt,
    long? Sequence = null,
    DateTimeOffset? SentAt = null,
    ReportedStatus Status = ReportedStatus.Ok,
    double? Battery = null,
    double? Signal = null,
    string? Firmware = null,
    IReadOnlyDictionary<string, double>? Metrics = null);
