using FleetHealth.Domain.Heartbeats;
using FleetHealth.Fleet;

namespace FleetHealth.Server.Ingestion;

/// <summary>
/// The one path every heartbeat takes, whatever channel it came by. The returned task completes
/// only once the heartbeat is durable (or refused); a storage failure surfaces as an exception,
/// never as <see cref="IngestOutcome.Accepted"/>.
/// </summary>
public interface IHeartbeatSink
{
    /// <param name="heartbeat">The heartbeat.</param>
    /// <param name="requiredTag">
    /// Set when the sender's ingest key is limited to one tag: a known sensor without it is refused
    /// (<see cref="IngestOutcome.OutOfScope"/>), an unknown one auto-registers with it. Null: any sensor.
    /// </param>
    /// <param name="cancellationToken">Stops waiting (the heartbeat may still become durable).</param>
    ValueTask<IngestOutcome> SubmitAsync(Heartbeat heartbeat, string? requiredTag, CancellationToken cancellationToken);
}
