namespace FleetHealth.Server.Ingestion;

/// <summary>How a submitted heartbeat ended.</summary>
public enum IngestOutcome
{
    /// <summary>Durable: it is in PostgreSQL and survives any crash from here on.</summary>
    Accepted,

    /// <summary>Same sensor and sequence number as one already accepted: acknowledged, not counted twice.</summary>
    Duplicate,

    /// <summary>The sensor is not provisioned and the fleet does not auto-register.</summary>
    UnknownSensor,
}

/// <summary>
/// The one path every heartbeat takes, whatever channel it came by. The returned task completes
/// only once the heartbeat is durable (or refused); a storage failure surfaces as an exception,
/// never as <see cref="IngestOutcome.Accepted"/>.
/// </summary>
public interface IHeartbeatSink
{
    ValueTask<IngestOutcome> SubmitAsync(Heartbeat heartbeat, CancellationToken cancellationToken);
}
