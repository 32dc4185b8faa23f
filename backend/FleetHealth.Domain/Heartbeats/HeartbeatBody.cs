namespace FleetHealth.Domain.Heartbeats;

/// <summary>
/// The optional JSON body of <c>POST /api/v1/heartbeats/{sensorId}</c>. Every field is optional.
/// </summary>
/// <param name="Sequence">The sensor's own counter (0 or more); gaps count lost beats, repeats are idempotent.</param>
/// <param name="SentAt">The sensor's clock when it sent the beat (ISO 8601 with offset); kept for skew analysis, never used for liveness.</param>
/// <param name="Status"><c>ok</c> or <c>fault</c>.</param>
/// <param name="Battery">Battery charge in percent, 0 to 100.</param>
/// <param name="Signal">Signal strength in dBm, -200 to 50.</param>
/// <param name="Firmware">Firmware version, at most 64 characters.</param>
/// <param name="Metrics">At most 16 named numbers, names at most 64 characters.</param>
public sealed record HeartbeatBody(
    long? Sequence = null,
    DateTimeOffset? SentAt = null,
    string? Status = null,
    double? Battery = null,
    double? Signal = null,
    string? Firmware = null,
    Dictionary<string, double>? Metrics = null);
