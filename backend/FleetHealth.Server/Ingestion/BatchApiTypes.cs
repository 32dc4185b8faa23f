using FleetHealth.Domain.Heartbeats;

namespace FleetHealth.Server.Ingestion;

/// <summary>
/// One heartbeat in a gateway's batch: the sensor's id plus the single-beat body fields. The shape
/// clients send; the server reads items with <see cref="BatchItemReader"/>, one at a time.
/// </summary>
public sealed record BatchItem(
    string? SensorId,
    long? Sequence = null,
    DateTimeOffset? SentAt = null,
    string? Status = null,
    double? Battery = null,
    double? Signal = null,
    string? Firmware = null,
    Dictionary<string, double>? Metrics = null);

/// <summary>How one batch item ended: <c>status</c> is the HTTP status it would have had alone.</summary>
public sealed record BatchItemResult(int Index, string? SensorId, int Status, bool Duplicate = false, IDictionary<string, string[]>? Errors = null);

/// <summary>The answer to a batch: 202 when every item is durable, 207 when some are not (see each item).</summary>
public sealed record BatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<BatchItemResult> Items);
